variable "bucket_name" {
  type        = string
  description = "Name of the S3 bucket that holds the lake (globally unique)."
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "noncurrent_version_days" {
  type        = number
  description = "Days an overwritten or deleted object version is kept before S3 removes it."
  default     = 90
  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "access_log_days" {
  type        = number
  description = "How long the lake's S3 server access logs are kept, in days."
  default     = 400
  validation {
    condition     = var.access_log_days >= 90
    error_message = "access_log_days must be at least 90."
  }
}
