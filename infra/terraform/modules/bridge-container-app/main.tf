# The MQTT -> Kafka bridge on Azure Container Apps: exactly one replica (fixed MQTT client id),
# credentials as Key Vault secret references, the disk buffer on an Azure Files share.
locals {
  # Container Apps secret names: lower-case letters, digits and hyphens.
  appinsights_secret = "appinsights-connection"
  secret_names       = { for setting, id in var.key_vault_secrets : setting => trim(replace(lower(setting), "/[^a-z0-9]+/", "-"), "-") }
}

resource "azurerm_user_assigned_identity" "bridge" {
  name                = "${var.name}-id"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

# Key Vault Secrets User on each secret the bridge reads, not on the vault.
resource "azurerm_role_assignment" "secrets" {
  for_each             = toset([for id in values(var.key_vault_secrets) : regex("/secrets/([A-Za-z0-9-]+)/?$", id)[0]])
  scope                = "${var.key_vault_id}/secrets/${each.value}"
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.bridge.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "pull" {
  count                = var.registry == null ? 0 : 1
  scope                = var.registry.acr_id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.bridge.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_container_app_environment" "bridge" {
  name                       = "${var.name}-env"
  location                   = var.location
  resource_group_name        = var.resource_group_name
  log_analytics_workspace_id = var.log_analytics_workspace_id
  tags                       = var.tags
}

# The buffer share. Container Apps mounts Azure Files with the account key, which goes from the
# account to the environment inside this module and appears in no variable or output.
resource "azurerm_storage_account" "buffer" {
  name                            = var.buffer_storage_account_name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_storage_share" "buffer" {
  name               = "bridge-buffer"
  storage_account_id = azurerm_storage_account.buffer.id
  quota              = 5
}

resource "azurerm_container_app_environment_storage" "buffer" {
  name                         = "bridge-buffer"
  container_app_environment_id = azurerm_container_app_environment.bridge.id
  account_name                 = azurerm_storage_account.buffer.name
  share_name                   = azurerm_storage_share.buffer.name
  access_key                   = azurerm_storage_account.buffer.primary_access_key
  access_mode                  = "ReadWrite"
}

resource "azurerm_container_app" "bridge" {
  name                         = var.name
  container_app_environment_id = azurerm_container_app_environment.bridge.id
  resource_group_name          = var.resource_group_name
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.bridge.id]
  }

  dynamic "registry" {
    for_each = var.registry == null ? [] : [var.registry]
    content {
      server   = registry.value.server
      identity = azurerm_user_assigned_identity.bridge.id
    }
  }

  secret {
    name  = local.appinsights_secret
    value = var.application_insights_connection_string
  }

  dynamic "secret" {
    for_each = var.key_vault_secrets
    content {
      name                = local.secret_names[secret.key]
      key_vault_secret_id = secret.value
      identity            = azurerm_user_assigned_identity.bridge.id
    }
  }

  template {
    min_replicas = 1
    max_replicas = 1

    volume {
      name         = "buffer"
      storage_type = "AzureFile"
      storage_name = azurerm_container_app_environment_storage.buffer.name
    }

    container {
      name   = "bridge"
      image  = var.image
      cpu    = var.cpu
      memory = var.memory

      dynamic "env" {
        for_each = merge(var.environment, { Bridge__Buffer__Directory = "/var/lib/wine-bridge" })
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = var.key_vault_secrets
        content {
          name        = env.key
          secret_name = local.secret_names[env.key]
        }
      }

      # Traces, metrics and logs to Application Insights (the bridge's Azure Monitor exporter).
      env {
        name        = "APPLICATIONINSIGHTS_CONNECTION_STRING"
        secret_name = local.appinsights_secret
      }

      volume_mounts {
        name = "buffer"
        path = "/var/lib/wine-bridge"
      }

      liveness_probe {
        transport = "HTTP"
        port      = 8080
        path      = "/health"
      }
    }
  }

  tags       = var.tags
  depends_on = [azurerm_role_assignment.secrets, azurerm_role_assignment.pull]
}
