output "container_app_name" {
  description = "Name of the bridge's container app."
  value       = azurerm_container_app.bridge.name
}

output "identity_principal_id" {
  description = "Object id of the bridge's identity."
  value       = azurerm_user_assigned_identity.bridge.principal_id
}
