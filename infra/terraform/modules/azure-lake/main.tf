# The lake as a blob container: no anonymous access anywhere in the account, Entra ID only (no
# shared keys, no SAS), TLS 1.2, double encryption at rest, versioning and soft delete.
resource "azurerm_storage_account" "lake" {
  name                              = var.storage_account_name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = var.replication
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  infrastructure_encryption_enabled = true
  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = true
    delete_retention_policy {
      days = var.soft_delete_days
    }
    container_delete_retention_policy {
      days = var.soft_delete_days
    }
  }
  tags = var.tags
}

resource "azurerm_storage_container" "lake" {
  name                  = var.container_name
  storage_account_id    = azurerm_storage_account.lake.id
  container_access_type = "private"
}

# audit/ records live in a container of their own, under a time-based immutability policy: no one,
# the functions and their operators included, can change or delete a record before it expires. (A
# policy on the lake container would freeze all of it, bookkeeping included.)
resource "azurerm_storage_container" "audit" {
  name                  = "${var.container_name}-audit"
  storage_account_id    = azurerm_storage_account.lake.id
  container_access_type = "private"
}

resource "azurerm_storage_container_immutability_policy" "audit" {
  storage_container_resource_manager_id = azurerm_storage_container.audit.id
  immutability_period_in_days           = var.audit_retention_days
  # Locking makes the policy itself irreversible; ops lock it once the retention is agreed.
  locked = var.lock_audit_policy
}

# Every read, write and delete of a blob into the deployment's Log Analytics workspace.
resource "azurerm_monitor_diagnostic_setting" "lake" {
  name                       = "${var.storage_account_name}-blob-diagnostics"
  target_resource_id         = "${azurerm_storage_account.lake.id}/blobServices/default"
  log_analytics_workspace_id = var.log_analytics_workspace_id
  enabled_log {
    category = "StorageRead"
  }
  enabled_log {
    category = "StorageWrite"
  }
  enabled_log {
    category = "StorageDelete"
  }
}
