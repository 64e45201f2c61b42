# An IAM user for a function that runs in another cloud (an Azure Function App) and reaches the S3
# lake. Terraform deliberately creates no access key: a key made here would sit in the state in
# clear text. Ops create it (aws iam create-access-key) and put both halves into the Key Vault;
# the Function App reads them from there.
resource "aws_iam_user" "function" {
  name = var.name
  path = "/wine/"
  tags = var.tags
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

resource "aws_iam_user_policy" "lake" {
  name   = "lake"
  user   = aws_iam_user.function.name
  policy = data.aws_iam_policy_document.lake.json
}
