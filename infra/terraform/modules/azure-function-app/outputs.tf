output "name" {
  description = "Name of the Function App."
  value       = azurerm_linux_function_app.app.name
}

output "default_hostname" {
  description = "Host name of the app, e.g. wine-prod-ratings.azurewebsites.net."
  value       = azurerm_linux_function_app.app.default_hostname
}

output "identity_principal_id" {
  description = "Object id of the app's user-assigned identity, for further role assignments."
  value       = azurerm_user_assigned_identity.app.principal_id
}

output "identity_client_id" {
  description = "Client id of the app's user-assigned identity."
  value       = azurerm_user_assigned_identity.app.client_id
}
