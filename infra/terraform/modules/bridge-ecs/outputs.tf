output "cluster_name" {
  description = "Name of the ECS cluster running the bridge."
  value       = aws_ecs_cluster.bridge.name
}

output "service_name" {
  description = "Name of the bridge's ECS service."
  value       = aws_ecs_service.bridge.name
}

output "log_group_name" {
  description = "CloudWatch log group of the bridge."
  value       = aws_cloudwatch_log_group.bridge.name
}
