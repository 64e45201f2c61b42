variable "name" {
  type        = string
  description = "Name of the bridge's cluster, service, task family and log group, e.g. wine-prod-bridge."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "image" {
  type        = string
  description = "Container image of functions/ingest in a registry the task can pull from (ECR), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/wine-bridge:1.4.0."
}

variable "vpc_id" {
  type        = string
  description = "VPC the bridge runs in; it needs outbound access to the MQTT broker and Kafka."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the task and the buffer's file system mount targets."
  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "At least one subnet."
  }
}

variable "environment" {
  type        = map(string)
  description = "Plain settings of the bridge (Bridge__Mqtt__Host, Bridge__Kafka__BootstrapServers, Zone__*, ...). Secrets never go here."
  validation {
    condition     = alltrue([for k in keys(var.environment) : !can(regex("(?i)(password|secret|sasl\\.username)", k))])
    error_message = "environment must not carry secrets; put them in secrets."
  }
}

variable "secrets" {
  type        = map(string)
  description = "Settings read from Secrets Manager at start: setting name => valueFrom (a secret ARN, or ARN:json-key:: for one key of a JSON secret)."
  validation {
    condition     = alltrue([for v in values(var.secrets) : startswith(v, "arn:")])
    error_message = "Each secret must be a Secrets Manager ARN (optionally with :json-key::)."
  }
}

variable "secret_arns" {
  type        = list(string)
  description = "ARNs of the Secrets Manager secrets named in secrets (without JSON keys); the execution role may read exactly these."
  validation {
    condition     = alltrue([for v in var.secret_arns : can(regex("^arn:[^:]+:secretsmanager:", v))])
    error_message = "Each entry must be a Secrets Manager secret ARN."
  }
}

variable "cpu" {
  type        = number
  description = "Fargate CPU units of the task."
  default     = 512
  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.cpu)
    error_message = "cpu must be 256, 512, 1024, 2048 or 4096."
  }
}

variable "memory_mb" {
  type        = number
  description = "Memory of the task in MB (the bridge measured about 170 MiB resident)."
  default     = 1024
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the bridge's logs."
  default     = 30
}

variable "tags" {
  type        = map(string)
  description = "Tags put on every resource of the module."
}

variable "collector_image" {
  type        = string
  description = "The ADOT collector image run as a sidecar with its ECS default configuration: the bridge sends traces, metrics and logs to it over OTLP (localhost:4318), and it forwards them to X-Ray and CloudWatch."
}
