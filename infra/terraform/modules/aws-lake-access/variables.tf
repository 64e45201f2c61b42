variable "name" {
  type        = string
  description = "Name of the IAM role, e.g. wine-prod-sink-azure: one role per function that reaches the S3 lake from another cloud."
  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters valid in an IAM user name."
  }
}

variable "bucket_arn" {
  type        = string
  description = "ARN of the lake bucket."
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts the lake."
}

variable "read_prefixes" {
  type        = list(string)
  description = "Lake prefixes the function may read and list, each ending in '/', e.g. [\"reference/\"]."
  default     = []
  validation {
    condition     = alltrue([for p in var.read_prefixes : endswith(p, "/") && !startswith(p, "/")])
    error_message = "Each prefix must end with '/' and must not start with '/'."
  }
}

variable "write_prefixes" {
  type        = list(string)
  description = "Lake prefixes the function may write (not read: name those in read_prefixes too), each ending in '/', e.g. [\"raw/samples/\"]."
  validation {
    condition     = length(var.write_prefixes) > 0 && alltrue([for p in var.write_prefixes : endswith(p, "/") && !startswith(p, "/")])
    error_message = "At least one prefix; each must end with '/' and must not start with '/'."
  }
}

variable "delete_prefixes" {
  type        = list(string)
  description = "Lake prefixes under which the function may delete objects (the sink removes old run claims under _state/sink/)."
  default     = []
  validation {
    condition     = alltrue([for p in var.delete_prefixes : endswith(p, "/") && !startswith(p, "/")])
    error_message = "Each prefix must end with '/' and must not start with '/'."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the IAM OIDC provider for the Azure tenant's Entra ID (module aws-azure-federation)."
}

variable "oidc_provider_host" {
  type        = string
  description = "The OIDC provider's URL without https://, e.g. sts.windows.net/<tenant>/, which prefixes its condition keys (:aud, :sub)."
}

variable "audience" {
  type        = string
  description = "The audience of the managed identity's token (Lake__S3__WebIdentityAudience; api://AzureADTokenExchange by default)."
}

variable "identity_principal_id" {
  type        = string
  description = "Object (principal) id of the function's user-assigned managed identity: the token's sub."
}
