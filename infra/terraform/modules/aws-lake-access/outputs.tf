output "role_arn" {
  description = "ARN of the role the function assumes (its Lake__S3__WebIdentityRoleArn)."
  value       = aws_iam_role.function.arn
}
