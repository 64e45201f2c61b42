# AWS trusts the Azure tenant's Entra ID as an OpenID Connect provider, so that Azure functions'
# managed identities assume IAM roles (aws-lake-access) with their tokens instead of stored keys.
# One per tenant and account.
resource "aws_iam_openid_connect_provider" "entra" {
  url            = "https://sts.windows.net/${var.azure_tenant_id}/"
  client_id_list = [var.audience]
  tags           = var.tags
}
