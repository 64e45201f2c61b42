output "bucket_name" {
  description = "Name of the lake bucket (Lake__S3__Bucket)."
  value       = aws_s3_bucket.lake.id
}

output "bucket_arn" {
  description = "ARN of the lake bucket, for IAM policies and the event notification."
  value       = aws_s3_bucket.lake.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the lake; readers and writers need kms:Decrypt and kms:GenerateDataKey on it."
  value       = aws_kms_key.lake.arn
}
