variable "function_name" {
  type        = string
  description = "Name of the Lambda function."
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "package_zip" {
  type        = string
  description = "Path of the zip that infra/package.sh publishes (holds the self-contained `bootstrap` for provided.al2023)."
  validation {
    condition     = endswith(var.package_zip, ".zip")
    error_message = "package_zip must be the path of a .zip file."
  }
}

variable "lake_bucket_name" {
  type        = string
  description = "Name of the S3 lake bucket whose raw samples trigger the function."
}

variable "lake_bucket_arn" {
  type        = string
  description = "ARN of the S3 lake bucket."
}

variable "lake_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts the lake."
}

variable "trigger_prefix" {
  type        = string
  description = "Only objects created under this prefix invoke the function. Must never cover predictions/, which the function writes."
  default     = "raw/samples/"
  validation {
    condition     = endswith(var.trigger_prefix, "/") && !startswith("predictions/", var.trigger_prefix) && !startswith(var.trigger_prefix, "predictions/")
    error_message = "trigger_prefix must end with '/' and must not match predictions/ (the function would trigger itself)."
  }
}

variable "promotion_prefix" {
  type        = string
  description = "The model registry's promotion events: a new object here makes the function read the champion alias again before the next raw object."
  default     = "models/promotions/"
  validation {
    condition     = endswith(var.promotion_prefix, "/") && !startswith("predictions/", var.promotion_prefix) && !startswith(var.promotion_prefix, "predictions/") && !startswith("raw/samples/", var.promotion_prefix)
    error_message = "promotion_prefix must end with '/' and must not match predictions/ or raw/samples/."
  }
}

variable "environment" {
  type        = map(string)
  description = "Plain (non-secret) settings of the function: Lake__*, Zone__*, Predict__*. Secrets never go here."
  validation {
    condition     = alltrue([for k in keys(var.environment) : !can(regex("(?i)(password|secret|accesskey|connectionstring)", k))])
    error_message = "environment must not carry secrets; read them from Secrets Manager instead."
  }
}

variable "memory_mb" {
  type        = number
  description = "Memory of the function in MB (CPU grows with it)."
  default     = 1024
  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Longest a single invocation may run, in seconds."
  default     = 120
  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "retry_attempts" {
  type        = number
  description = "Retries of a failed asynchronous (S3 event) invocation before the event goes to the on-failure queue."
  default     = 2
  validation {
    condition     = var.retry_attempts >= 0 && var.retry_attempts <= 2
    error_message = "retry_attempts must be 0, 1 or 2 (Lambda's limit)."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the function's logs."
  default     = 30
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "collector_layer_arn" {
  type        = string
  description = "An OpenTelemetry collector Lambda layer (ADOT): with it the function exports traces and metrics over OTLP to localhost:4318 and traces actively; logs go to CloudWatch Logs either way."
  default     = null
}

variable "collector_config_uri" {
  type        = string
  description = "The collector layer's configuration (OPENTELEMETRY_COLLECTOR_CONFIG_URI): by default the one packaged with the function (functions/predict/collector.yaml: traces to X-Ray, metrics to CloudWatch as EMF). Another must also have a metrics pipeline writing to $${env:WINE_COLLECTOR_METRICS_LOG_GROUP} (the only log group the function may write EMF to), or the function's metrics are dropped."
  default     = "/var/task/collector.yaml"
  nullable    = false
}
