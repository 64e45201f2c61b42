# The predict function: S3 event in (raw samples only), predictions out, failures to a queue.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "predict" {
  name               = var.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

# Read raw samples and models, write predictions and audit records (trust-zone crossings), and
# nothing else.
data "aws_iam_policy_document" "predict" {
  statement {
    sid       = "ReadSamplesAndModels"
    actions   = ["s3:GetObject"]
    resources = ["${var.lake_bucket_arn}/${var.trigger_prefix}*", "${var.lake_bucket_arn}/models/*"]
  }
  # Without s3:ListBucket S3 answers a missing key with 403 instead of 404, and the lake's stores
  # rely on 404 (a missing champion is null, not an error). It reveals key names, not contents.
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
  }
  statement {
    sid       = "WritePredictionsAndAudit"
    actions   = ["s3:PutObject"]
    resources = ["${var.lake_bucket_arn}/predictions/*", "${var.lake_bucket_arn}/audit/*"]
  }
  statement {
    sid       = "LakeKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.lake_kms_key_arn]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.predict.arn}:*"]
  }
  statement {
    sid       = "OnFailure"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed_events.arn]
  }
}

resource "aws_iam_role_policy" "predict" {
  name   = "predict"
  role   = aws_iam_role.predict.id
  policy = data.aws_iam_policy_document.predict.json
}

# With a collector layer: OTLP to it on localhost, flushed after each invocation, and X-Ray's active
# tracing. The layer runs the configuration packaged with the function (functions/predict/collector.yaml):
# traces to X-Ray, metrics to CloudWatch as EMF in their own log group. Logs stay on stdout (CloudWatch
# Logs): the layer's collector has no logs exporter to CloudWatch.
locals {
  collector_settings = var.collector_layer_arn == null ? {} : {
    OTEL_EXPORTER_OTLP_ENDPOINT        = "http://localhost:4318"
    OTEL_EXPORTER_OTLP_PROTOCOL        = "http/protobuf"
    OTEL_LOGS_EXPORTER                 = "none"
    OPENTELEMETRY_COLLECTOR_CONFIG_URI = var.collector_config_uri
    WINE_COLLECTOR_METRICS_LOG_GROUP   = aws_cloudwatch_log_group.metrics[0].name
  }
}

resource "aws_cloudwatch_log_group" "metrics" {
  count             = var.collector_layer_arn == null ? 0 : 1
  name              = "/aws/lambda/${var.function_name}/metrics"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# X-Ray has no resource-level permissions; the EMF log events go to the metrics group only.
data "aws_iam_policy_document" "telemetry" {
  count = var.collector_layer_arn == null ? 0 : 1
  statement {
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [aws_cloudwatch_log_group.metrics[0].arn, "${aws_cloudwatch_log_group.metrics[0].arn}:*"]
  }
}

resource "aws_iam_role_policy" "telemetry" {
  count  = var.collector_layer_arn == null ? 0 : 1
  name   = "predict-telemetry"
  role   = aws_iam_role.predict.id
  policy = data.aws_iam_policy_document.telemetry[0].json
}

resource "aws_cloudwatch_log_group" "predict" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "predict" {
  function_name    = var.function_name
  role             = aws_iam_role.predict.arn
  filename         = var.package_zip
  source_code_hash = filebase64sha256(var.package_zip)
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["x86_64"]
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds
  layers           = var.collector_layer_arn == null ? [] : [var.collector_layer_arn]
  environment {
    variables = merge(var.environment, local.collector_settings)
  }
  tracing_config {
    mode = var.collector_layer_arn == null ? "PassThrough" : "Active"
  }
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.predict.name
  }
  tags       = var.tags
  depends_on = [aws_iam_role_policy.predict, aws_iam_role_policy.telemetry]
}

# Events whose invocation still fails after the retries (an object that is not valid Parquet, a
# model that cannot be loaded, a timeout) land here with the request and the error.
resource "aws_sqs_queue" "failed_events" {
  name                      = "${var.function_name}-failed-events"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_lambda_function_event_invoke_config" "predict" {
  function_name                = aws_lambda_function.predict.function_name
  maximum_retry_attempts       = var.retry_attempts
  maximum_event_age_in_seconds = 21600
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed_events.arn
    }
  }
}

resource "aws_lambda_permission" "lake" {
  statement_id   = "AllowLakeEvents"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.predict.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = var.lake_bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

# The bucket's notifications: new raw sample objects, and promotion events of the model registry
# (so a new champion is used from the next object on). Predictions are written under predictions/,
# which neither prefix covers, so the function can never trigger itself.
resource "aws_s3_bucket_notification" "lake" {
  bucket = var.lake_bucket_name
  lambda_function {
    lambda_function_arn = aws_lambda_function.predict.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.trigger_prefix
  }
  lambda_function {
    lambda_function_arn = aws_lambda_function.predict.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.promotion_prefix
  }
  depends_on = [aws_lambda_permission.lake]
}
