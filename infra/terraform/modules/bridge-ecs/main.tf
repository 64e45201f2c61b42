# The MQTT -> Kafka bridge on ECS Fargate: exactly one task (its MQTT client id is fixed so the
# broker keeps its session), settings from the environment, credentials from Secrets Manager, and
# the disk buffer on an encrypted EFS volume that outlives the task.
data "aws_region" "current" {}

resource "aws_ecs_cluster" "bridge" {
  name = var.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
  tags = var.tags
}

resource "aws_cloudwatch_log_group" "bridge" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Pulls the image, writes logs, reads the bridge's secrets: the execution role.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }
}

resource "aws_iam_role_policy" "secrets" {
  name   = "bridge-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.secrets.json
}

# The bridge itself calls no AWS API; its task role mounts the buffer volume and lets the collector sidecar export.
resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "buffer" {
  statement {
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.buffer.arn]
    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [aws_efs_access_point.buffer.arn]
    }
  }
}

# Where the collector's ECS default configuration writes the metrics (embedded metric format): made
# here with a retention, so the collector never creates it without one. One per account and region.
resource "aws_cloudwatch_log_group" "metrics" {
  name              = "/aws/ecs/application/metrics"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# The collector sidecar writes traces to X-Ray and metrics as CloudWatch embedded metric format logs.
data "aws_iam_policy_document" "telemetry" {
  statement {
    sid       = "Traces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }
  statement {
    sid       = "Metrics"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.metrics.arn}:*"]
  }
}

resource "aws_iam_role_policy" "telemetry" {
  name   = "bridge-telemetry"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.telemetry.json
}

resource "aws_iam_role_policy" "buffer" {
  name   = "bridge-buffer"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.buffer.json
}

resource "aws_security_group" "task" {
  name        = "${var.name}-task"
  description = "The bridge: outbound to MQTT, Kafka, the buffer volume and AWS APIs; nothing inbound."
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_egress_rule" "task" {
  security_group_id = aws_security_group.task.id
  description       = "MQTT, Kafka, EFS and AWS APIs"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_security_group" "buffer" {
  name        = "${var.name}-buffer"
  description = "NFS from the bridge task only."
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "buffer" {
  security_group_id            = aws_security_group.buffer.id
  description                  = "NFS from the bridge"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = aws_security_group.task.id
  tags                         = var.tags
}

resource "aws_efs_file_system" "buffer" {
  encrypted = true
  tags      = merge(var.tags, { Name = "${var.name}-buffer" })
}

resource "aws_efs_mount_target" "buffer" {
  for_each        = toset(var.subnet_ids)
  file_system_id  = aws_efs_file_system.buffer.id
  subnet_id       = each.value
  security_groups = [aws_security_group.buffer.id]
}

# UID/GID 1654 is the `app` user of the .NET runtime images the Dockerfile runs as.
resource "aws_efs_access_point" "buffer" {
  file_system_id = aws_efs_file_system.buffer.id
  posix_user {
    uid = 1654
    gid = 1654
  }
  root_directory {
    path = "/wine-bridge"
    creation_info {
      owner_uid   = 1654
      owner_gid   = 1654
      permissions = "0750"
    }
  }
  tags = var.tags
}

resource "aws_ecs_task_definition" "bridge" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory_mb
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  volume {
    name = "buffer"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.buffer.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.buffer.id
        iam             = "ENABLED"
      }
    }
  }
  container_definitions = jsonencode([{
    name         = "bridge"
    image        = var.image
    essential    = true
    stopTimeout  = 60
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    environment = [for k, v in merge(var.environment, {
      Bridge__Buffer__Directory   = "/var/lib/wine-bridge"
      OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318"
      OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
      OTEL_LOGS_EXPORTER          = "none" # the ECS default configuration has no logs pipeline; awslogs takes them
    }) : { name = k, value = v }]
    secrets     = [for k, v in var.secrets : { name = k, valueFrom = v }]
    dependsOn   = [{ containerName = "otel-collector", condition = "START" }]
    mountPoints = [{ sourceVolume = "buffer", containerPath = "/var/lib/wine-bridge", readOnly = false }]
    healthCheck = {
      command     = ["CMD", "dotnet", "WineFunctions.Ingest.dll", "--health"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 20
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.bridge.name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = "bridge"
      }
    }
    }, {
    # The bridge's telemetry goes over OTLP to this sidecar, which sends traces to X-Ray and metrics to CloudWatch (EMF).
    name      = "otel-collector"
    image     = var.collector_image
    essential = false
    command   = ["--config=/etc/ecs/ecs-default-config.yaml"]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.bridge.name
        awslogs-region        = data.aws_region.current.region
        awslogs-stream-prefix = "otel-collector"
      }
    }
  }])
  tags = var.tags
}

# One task at a time: a second bridge with the same client id would take the session over. During
# a deployment the old task stops (flushing in-flight messages) before the new one starts.
resource "aws_ecs_service" "bridge" {
  name                               = var.name
  cluster                            = aws_ecs_cluster.bridge.id
  task_definition                    = aws_ecs_task_definition.bridge.arn
  desired_count                      = 1
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }
  tags       = var.tags
  depends_on = [aws_efs_mount_target.buffer]
}
