output "function_name" {
  description = "Name of the predict Lambda."
  value       = aws_lambda_function.predict.function_name
}

output "function_arn" {
  description = "ARN of the predict Lambda."
  value       = aws_lambda_function.predict.arn
}

output "role_arn" {
  description = "ARN of the Lambda's execution role."
  value       = aws_iam_role.predict.arn
}

output "failed_events_queue_url" {
  description = "URL of the SQS queue that receives S3 events whose invocation failed after every retry (e.g. invalid Parquet)."
  value       = aws_sqs_queue.failed_events.url
}
