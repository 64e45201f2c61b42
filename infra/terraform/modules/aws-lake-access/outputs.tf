output "user_name" {
  description = "The IAM user; create its access key with `aws iam create-access-key --user-name <this>` and store both halves in the Key Vault."
  value       = aws_iam_user.function.name
}

output "user_arn" {
  description = "ARN of the IAM user."
  value       = aws_iam_user.function.arn
}
