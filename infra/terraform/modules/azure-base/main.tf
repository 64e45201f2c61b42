# What every Azure part of the deployment shares: one resource group, one Log Analytics workspace
# with Application Insights on it, and (when a Function App is placed in Azure) one plan.
resource "azurerm_resource_group" "wine" {
  name     = "${var.name_prefix}-rg"
  location = var.location
  tags     = var.tags
}

resource "azurerm_log_analytics_workspace" "wine" {
  name                = "${var.name_prefix}-logs"
  location            = azurerm_resource_group.wine.location
  resource_group_name = azurerm_resource_group.wine.name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = var.tags
}

resource "azurerm_application_insights" "wine" {
  name                = "${var.name_prefix}-insights"
  location            = azurerm_resource_group.wine.location
  resource_group_name = azurerm_resource_group.wine.name
  workspace_id        = azurerm_log_analytics_workspace.wine.id
  application_type    = "web"
  tags                = var.tags
}

resource "azurerm_service_plan" "functions" {
  count                        = var.functions_plan_sku == null ? 0 : 1
  name                         = "${var.name_prefix}-functions"
  location                     = azurerm_resource_group.wine.location
  resource_group_name          = azurerm_resource_group.wine.name
  os_type                      = "Linux"
  sku_name                     = var.functions_plan_sku
  maximum_elastic_worker_count = 4
  tags                         = var.tags
}

# Who read which secret: the Key Vault's audit events into the same workspace.
resource "azurerm_monitor_diagnostic_setting" "key_vault" {
  count                      = var.key_vault_id == null ? 0 : 1
  name                       = "${var.name_prefix}-key-vault-diagnostics"
  target_resource_id         = var.key_vault_id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.wine.id
  enabled_log {
    category = "AuditEvent"
  }
}

data "azurerm_client_config" "current" {}
