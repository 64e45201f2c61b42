# One isolated-worker .NET 10 Function App, with its own identity and host storage, settings from
# plain values and Key Vault references, and the least data role on the lake it needs.
resource "azurerm_user_assigned_identity" "app" {
  name                = "${var.name}-id"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

# The host's own state (leases, timers, the content share of the Elastic Premium plan, which needs
# a key-based connection). Never holds lake data.
resource "azurerm_storage_account" "host" {
  name                              = var.host_storage_account_name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_tier                      = "Standard"
  account_replication_type          = "LRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  # The package blob is versioned, so a deployment can be rolled back to the previous one.
  blob_properties {
    versioning_enabled = true
  }
  tags = var.tags
}

# The data role on the lake container, narrowed by an ABAC condition to the app's own prefixes: each
# of read, write and delete is allowed only on a blob path under one of its prefixes (listing stays
# allowed, as S3's ListBucket does).
locals {
  blob = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
  actions = {
    read   = "ActionMatches{'${local.blob}/read'} AND NOT SubOperationMatches{'Blob.List'}"
    write  = "ActionMatches{'${local.blob}/write'} OR ActionMatches{'${local.blob}/add/action'}"
    delete = "ActionMatches{'${local.blob}/delete'}"
  }
  # On the lake container its own prefixes; on the audit container, creating records only.
  conditions = {
    for container, access in { lake = var.lake_access, audit = { read = [], write = ["audit/"], delete = [] } } : container => join("\nAND\n", [
      for action in ["read", "write", "delete"] : length(access[action]) == 0
      ? "(\n !(${local.actions[action]})\n)"
      : "(\n !(${local.actions[action]})\n OR\n (${join(" OR ", [for p in access[action] : "@Resource[${local.blob}:path] StringStartsWith '${p}'"])})\n)"
    ])
  }
}

resource "azurerm_role_assignment" "lake" {
  count                = var.lake_in_azure ? 1 : 0
  scope                = var.lake_container_id
  role_definition_name = var.lake_role
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  condition            = local.conditions.lake
}

resource "azurerm_role_assignment" "audit" {
  count                = var.lake_in_azure ? 1 : 0
  scope                = var.lake_audit_container_id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  condition            = local.conditions.audit
}

# Key Vault Secrets User on each secret the app reads, not on the vault: the app cannot read the
# other functions' secrets.
resource "azurerm_role_assignment" "secrets" {
  for_each             = toset([for id in values(var.key_vault_settings) : regex("/secrets/([A-Za-z0-9-]+)/?$", id)[0]])
  scope                = "${var.key_vault_id}/secrets/${each.value}"
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

# The package is a blob the app runs from, read with its identity (WEBSITE_RUN_FROM_PACKAGE with a
# URL): deploying needs no publishing credentials, so basic-auth publishing stays off (the
# provider's zip deploy would use them), and an app closed to inbound traffic still gets its code.
resource "azurerm_storage_container" "packages" {
  name                  = "packages"
  storage_account_id    = azurerm_storage_account.host.id
  container_access_type = "private"
}

resource "azurerm_storage_blob" "package" {
  # Named by content, so that a new package is a new blob and the app restarts onto it.
  name                   = "${var.name}-${filemd5(var.package_zip)}.zip"
  storage_account_name   = azurerm_storage_account.host.name
  storage_container_name = azurerm_storage_container.packages.name
  type                   = "Block"
  source                 = var.package_zip
  content_md5            = filemd5(var.package_zip)
}

resource "azurerm_role_assignment" "package" {
  scope                = azurerm_storage_container.packages.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_linux_function_app" "app" {
  name                        = var.name
  resource_group_name         = var.resource_group_name
  location                    = var.location
  service_plan_id             = var.service_plan_id
  storage_account_name        = azurerm_storage_account.host.name
  storage_account_access_key  = azurerm_storage_account.host.primary_access_key
  functions_extension_version = "~4"
  https_only                  = true
  # Only an app with HTTP triggers takes requests from the internet; publishing never takes a password.
  public_network_access_enabled                  = var.public_network_access
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  key_vault_reference_identity_id                = azurerm_user_assigned_identity.app.id

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  app_settings = merge(
    var.app_settings,
    { for name, id in var.key_vault_settings : name => "@Microsoft.KeyVault(SecretUri=${id})" },
    { for c in var.identity_connections : "${c}__credential" => "managedidentity" },
    { for c in var.identity_connections : "${c}__clientId" => azurerm_user_assigned_identity.app.client_id },
    {
      # DefaultAzureCredential (the lake's BlobContainerUrl) picks the user-assigned identity by this.
      AZURE_CLIENT_ID                              = azurerm_user_assigned_identity.app.client_id
      WEBSITE_RUN_FROM_PACKAGE                     = azurerm_storage_blob.package.url
      WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID = azurerm_user_assigned_identity.app.id
    },
  )

  site_config {
    application_insights_connection_string = var.application_insights_connection_string
    runtime_scale_monitoring_enabled       = var.runtime_scale_monitoring
    minimum_tls_version                    = "1.2"
    ftps_state                             = "Disabled"
    http2_enabled                          = true
    application_stack {
      dotnet_version              = "10.0"
      use_dotnet_isolated_runtime = true
    }
  }

  tags       = var.tags
  depends_on = [azurerm_role_assignment.lake, azurerm_role_assignment.audit, azurerm_role_assignment.secrets, azurerm_role_assignment.package]
}

# The Functions host's logs and metrics into the deployment's Log Analytics workspace.
resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "${var.name}-diagnostics"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = var.log_analytics_workspace_id
  enabled_log {
    category = "FunctionAppLogs"
  }
  enabled_metric {
    category = "AllMetrics"
  }
}
