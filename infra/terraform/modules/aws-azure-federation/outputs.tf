output "provider_arn" {
  description = "ARN of the IAM OIDC provider; roles trust it as their Federated principal."
  value       = aws_iam_openid_connect_provider.entra.arn
}

output "provider_host" {
  description = "The provider's URL without https://, which prefixes its condition keys (<host>:aud, <host>:sub)."
  value       = "sts.windows.net/${var.azure_tenant_id}/"
}
