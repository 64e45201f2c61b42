output "resource_group_name" {
  description = "Name of the resource group holding every Azure resource of the deployment."
  value       = azurerm_resource_group.wine.name
}

output "location" {
  description = "Azure region of the deployment."
  value       = azurerm_resource_group.wine.location
}

output "log_analytics_workspace_id" {
  description = "Id of the Log Analytics workspace (Container Apps logs, Application Insights)."
  value       = azurerm_log_analytics_workspace.wine.id
}

output "application_insights_connection_string" {
  description = "Connection string of Application Insights (an ingestion endpoint and key, not a credential to read data)."
  value       = azurerm_application_insights.wine.connection_string
  sensitive   = true
}

output "functions_plan_id" {
  description = "Id of the Function Apps' plan, or null when none was asked for."
  value       = one(azurerm_service_plan.functions[*].id)
}

output "tenant_id" {
  description = "The Azure tenant (Entra ID directory) of the deployment, whose managed identities AWS may trust (aws-azure-federation)."
  value       = data.azurerm_client_config.current.tenant_id
}
