variable "storage_account_name" {
  type        = string
  description = "Name of the storage account holding the lake (globally unique, 3-24 lower-case letters and digits)."
  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "container_name" {
  type        = string
  description = "Name of the blob container that is the lake (Lake__BlobContainer)."
  default     = "lake"
  validation {
    condition     = can(regex("^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$", var.container_name))
    error_message = "container_name must be 3-63 lower-case letters, digits and single hyphens."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group the storage account goes into."
}

variable "location" {
  type        = string
  description = "Azure region of the storage account."
}

variable "replication" {
  type        = string
  description = "Replication of the storage account."
  default     = "ZRS"
  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"], var.replication)
    error_message = "replication must be one of LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS."
  }
}

variable "soft_delete_days" {
  type        = number
  description = "Days deleted blobs, versions and containers can be restored."
  default     = 30
  validation {
    condition     = var.soft_delete_days >= 1 && var.soft_delete_days <= 365
    error_message = "soft_delete_days must be between 1 and 365."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace the lake's blob data-plane logs (StorageRead, StorageWrite, StorageDelete) go to."
}

variable "audit_retention_days" {
  type        = number
  description = "How long each audit record stays immutable (the audit container's time-based retention), in days."
  default     = 400
  validation {
    condition     = var.audit_retention_days >= 1 && var.audit_retention_days <= 146000
    error_message = "audit_retention_days must be 1-146000."
  }
}

variable "lock_audit_policy" {
  type        = bool
  description = "Lock the audit container's immutability policy: irreversible (it can then only be extended), so false until the retention is agreed."
  default     = false
}
