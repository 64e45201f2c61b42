output "storage_account_id" {
  description = "Id of the lake's storage account."
  value       = azurerm_storage_account.lake.id
}

output "storage_account_name" {
  description = "Name of the lake's storage account."
  value       = azurerm_storage_account.lake.name
}

output "blob_endpoint" {
  description = "Blob service endpoint of the account, e.g. https://winelake.blob.core.windows.net/ (identity-based trigger connections)."
  value       = azurerm_storage_account.lake.primary_blob_endpoint
}

output "container_name" {
  description = "Name of the lake container."
  value       = azurerm_storage_container.lake.name
}

output "container_id" {
  description = "Resource id of the container, the scope of the functions' role assignments."
  value       = azurerm_storage_container.lake.id
}

output "container_url" {
  description = "URL of the lake container (Lake__BlobContainerUrl), reached with a managed identity."
  value       = "${azurerm_storage_account.lake.primary_blob_endpoint}${azurerm_storage_container.lake.name}"
}

output "audit_container_name" {
  description = "The immutable container the lake's audit/ records go to (Lake__BlobAuditContainer)."
  value       = azurerm_storage_container.audit.name
}

output "audit_container_id" {
  description = "Resource id of the audit container, for the functions' create-only role on it."
  value       = azurerm_storage_container.audit.id
}
