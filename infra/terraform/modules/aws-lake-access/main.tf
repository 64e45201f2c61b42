# An IAM role for one function that runs in Azure and reaches the S3 lake, assumed with the
# function's managed identity token (STS AssumeRoleWithWebIdentity through the Entra ID OIDC
# provider): no AWS key exists to leak or rotate. Only that identity, with that audience, may assume it.
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "AzureManagedIdentity"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider_host}:aud"
      values   = [var.audience]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider_host}:sub"
      values   = [var.identity_principal_id]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = var.name
  path               = "/wine/"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "lake" {
  # Reading, writing and deleting are granted apart: a prefix a function only writes it cannot read back.
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = [for p in var.write_prefixes : "${var.bucket_arn}/${p}*"]
  }

  dynamic "statement" {
    for_each = length(var.read_prefixes) > 0 ? [1] : []
    content {
      sid       = "Read"
      actions   = ["s3:GetObject"]
      resources = [for p in var.read_prefixes : "${var.bucket_arn}/${p}*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.delete_prefixes) > 0 ? [1] : []
    content {
      sid       = "Delete"
      actions   = ["s3:DeleteObject"]
      resources = [for p in var.delete_prefixes : "${var.bucket_arn}/${p}*"]
    }
  }

  # Without s3:ListBucket S3 answers a missing key with 403 instead of 404, and the lake's stores
  # rely on 404 (the sink's create-if-absent claims look first). It reveals key names, not contents.
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
  }

  statement {
    sid       = "LakeKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "lake" {
  name   = "lake"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.lake.json
}
