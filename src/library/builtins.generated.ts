// generated from library/builtins by scripts/build-library.ts: do not edit (npm run build:library)

/** The built-in workflows' templates as `weave compile` writes them, sorted by name; validated when first used. */
export const BUILTIN_TEMPLATES: readonly unknown[] = [
  {
    "version": 1,
    "name": "ci_test_suite",
    "description": "Run the unit, integration and end-to-end test suites of a commit in parallel and report a GitHub commit status",
    "category": "ci",
    "tags": [
      "testing",
      "github",
      "parallel",
      "pull-request"
    ],
    "steps": [
      {
        "id": "setup",
        "toolName": "prepare_workspace",
        "parameters": {
          "repo": "{{repo}}",
          "sha": "{{sha}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/ci-test-suite.ts",
          "line": 16,
          "column": 19
        }
      },
      {
        "id": "test_unit",
        "toolName": "run_tests",
        "parameters": {
          "suite": "unit",
          "workspace": "{{setup.workspace}}"
        },
        "dependsOn": [
          "setup"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/ci-test-suite.ts",
          "line": 17,
          "column": 18
        }
      },
      {
        "id": "test_integration",
        "toolName": "run_tests",
        "parameters": {
          "suite": "integration",
          "workspace": "{{setup.workspace}}"
        },
        "dependsOn": [
          "setup"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/ci-test-suite.ts",
          "line": 18,
          "column": 25
        }
      },
      {
        "id": "test_e2e",
        "toolName": "run_tests",
        "parameters": {
          "suite": "e2e",
          "workspace": "{{setup.workspace}}"
        },
        "dependsOn": [
          "setup"
        ],
        "condition": null,
        "maxRetries": 1,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/ci-test-suite.ts",
          "line": 19,
          "column": 17
        }
      },
      {
        "id": "report_success",
        "toolName": "github_create_commit_status",
        "parameters": {
          "repo": "{{repo}}",
          "sha": "{{sha}}",
          "context": "toolweave/tests",
          "description": "unit: {{test_unit.summary}}; integration: {{test_integration.summary}}; e2e: {{test_e2e.summary}}",
          "state": "success"
        },
        "dependsOn": [
          "test_unit",
          "test_integration",
          "test_e2e"
        ],
        "condition": "({{test_unit.failed}} == 0) and ({{test_integration.failed}} == 0) and ({{test_e2e.failed}} == 0)",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/ci-test-suite.ts",
          "line": 22,
          "column": 5
        }
      },
      {
        "id": "report_failure",
        "toolName": "github_create_commit_status",
        "parameters": {
          "repo": "{{repo}}",
          "sha": "{{sha}}",
          "context": "toolweave/tests",
          "description": "unit: {{test_unit.summary}}; integration: {{test_integration.summary}}; e2e: {{test_e2e.summary}}",
          "state": "failure"
        },
        "dependsOn": [
          "test_unit",
          "test_integration",
          "test_e2e"
        ],
        "condition": "({{test_unit.failed}} > 0) or ({{test_integration.failed}} > 0) or ({{test_e2e.failed}} > 0)",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/ci-test-suite.ts",
          "line": 26,
          "column": 5
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "repo": {
          "type": "string",
          "description": "owner/name"
        },
        "sha": {
          "type": "string"
        }
      },
      "required": [
        "repo",
        "sha"
      ]
    },
    "outputs": {
      "unit": "{{test_unit.summary}}",
      "integration": "{{test_integration.summary}}",
      "e2e": "{{test_e2e.summary}}"
    }
  },
  {
    "version": 1,
    "name": "data_pipeline_etl",
    "description": "ETL data pipeline: extract a file over HTTP, validate its rows, transform them and load them into a warehouse table",
    "category": "data",
    "tags": [
      "etl",
      "pipeline",
      "warehouse",
      "data-quality"
    ],
    "steps": [
      {
        "id": "extract",
        "toolName": "http_fetch",
        "parameters": {
          "url": "{{sourceUrl}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 3,
        "retryDelayMs": 2000,
        "backoff": "exponential",
        "timeoutMs": 120000,
        "description": "",
        "source": {
          "file": "library/builtins/data-pipeline-etl.ts",
          "line": 20,
          "column": 21
        }
      },
      {
        "id": "validate",
        "toolName": "validate_data",
        "parameters": {
          "path": "{{extract.path}}",
          "schema": "{{schema}}"
        },
        "dependsOn": [
          "extract"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/data-pipeline-etl.ts",
          "line": 25,
          "column": 19
        }
      },
      {
        "id": "transform",
        "toolName": "transform_data",
        "parameters": {
          "path": "{{extract.path}}",
          "transform": "{{transformation}}"
        },
        "dependsOn": [
          "extract",
          "validate"
        ],
        "condition": "{{validate.valid}}",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "Only rows that passed validation are transformed and loaded",
        "source": {
          "file": "library/builtins/data-pipeline-etl.ts",
          "line": 26,
          "column": 25
        }
      },
      {
        "id": "load",
        "toolName": "warehouse_load",
        "parameters": {
          "path": "{{transform.path}}",
          "table": "{{table}}"
        },
        "dependsOn": [
          "transform"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/data-pipeline-etl.ts",
          "line": 31,
          "column": 18
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "sourceUrl": {
          "type": "string"
        },
        "schema": {
          "type": "string",
          "description": "schema the rows must match"
        },
        "transformation": {
          "type": "string",
          "description": "SQL or script applied to the rows"
        },
        "table": {
          "type": "string"
        }
      },
      "required": [
        "sourceUrl",
        "schema",
        "transformation",
        "table"
      ]
    },
    "outputs": {
      "table": "{{load.table}}",
      "rows": "{{load.loadedRows}}"
    }
  },
  {
    "version": 1,
    "name": "database_backup",
    "description": "Back up a database: snapshot, compress, upload to object storage, verify the stored copy, prune old backups",
    "category": "database",
    "tags": [
      "backup",
      "postgres",
      "mysql",
      "s3",
      "maintenance"
    ],
    "steps": [
      {
        "id": "snapshot",
        "toolName": "snapshot_database",
        "parameters": {
          "db": "{{db}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/database-backup.ts",
          "line": 19,
          "column": 22
        }
      },
      {
        "id": "compress",
        "toolName": "compress_backup",
        "parameters": {
          "snapshotPath": "{{snapshot.snapshotPath}}"
        },
        "dependsOn": [
          "snapshot"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/database-backup.ts",
          "line": 20,
          "column": 22
        }
      },
      {
        "id": "upload",
        "toolName": "upload_backup",
        "parameters": {
          "archivePath": "{{compress.archivePath}}",
          "bucket": "{{bucket}}"
        },
        "dependsOn": [
          "compress"
        ],
        "condition": null,
        "maxRetries": 3,
        "retryDelayMs": 2000,
        "backoff": "exponential",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/database-backup.ts",
          "line": 21,
          "column": 20
        }
      },
      {
        "id": "verify",
        "toolName": "verify_backup",
        "parameters": {
          "location": "{{upload.location}}",
          "sha256": "{{compress.sha256}}",
          "expectedRows": "{{snapshot.totalRows}}"
        },
        "dependsOn": [
          "snapshot",
          "compress",
          "upload"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/database-backup.ts",
          "line": 25,
          "column": 20
        }
      },
      {
        "id": "prune",
        "toolName": "prune_backups",
        "parameters": {
          "bucket": "{{bucket}}",
          "db": "{{db}}",
          "retain": "{{retain}}",
          "keep": "{{upload.location}}"
        },
        "dependsOn": [
          "upload",
          "verify"
        ],
        "condition": "{{verify.verified}}",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "Delete old backups only once the new one is verified",
        "source": {
          "file": "library/builtins/database-backup.ts",
          "line": 28,
          "column": 5
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "db": {
          "type": "string",
          "description": "database name"
        },
        "bucket": {
          "default": "s3://backups",
          "type": "string"
        },
        "retain": {
          "default": 7,
          "type": "integer",
          "minimum": 1,
          "maximum": 9007199254740991
        }
      },
      "required": [
        "db"
      ]
    },
    "outputs": {
      "location": "{{upload.location}}",
      "sha256": "{{compress.sha256}}",
      "rows": "{{verify.rows}}"
    }
  },
  {
    "version": 1,
    "name": "database_migration",
    "description": "Migrate a database schema safely: back it up first (database_backup), apply the migrations, restore the backup if they fail",
    "category": "database",
    "tags": [
      "migrations",
      "schema",
      "backup",
      "rollback"
    ],
    "steps": [
      {
        "id": "backup",
        "toolName": "execute_workflow",
        "parameters": {
          "workflow": "database_backup",
          "context": {
            "db": "{{db}}",
            "bucket": "{{bucket}}"
          }
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/database-migration.ts",
          "line": 21,
          "column": 20
        }
      },
      {
        "id": "migrate",
        "toolName": "run_migrations",
        "parameters": {
          "db": "{{db}}",
          "migrationsDir": "{{migrationsDir}}",
          "safetyBackup": "{{backup.location}}"
        },
        "dependsOn": [
          "backup"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/database-migration.ts",
          "line": 22,
          "column": 21
        }
      },
      {
        "id": "restore",
        "toolName": "restore_backup",
        "parameters": {
          "db": "{{db}}",
          "location": "{{backup.location}}",
          "reason": "migration failed"
        },
        "dependsOn": [
          "backup",
          "migrate"
        ],
        "condition": "{{migrate.success}} == false",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "Failure handler: put the backup back when a migration failed",
        "source": {
          "file": "library/builtins/database-migration.ts",
          "line": 25,
          "column": 5
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "db": {
          "type": "string",
          "description": "database name"
        },
        "bucket": {
          "default": "s3://backups",
          "type": "string"
        },
        "migrationsDir": {
          "default": "migrations",
          "type": "string"
        }
      },
      "required": [
        "db"
      ]
    },
    "outputs": {
      "version": "{{migrate.version}}",
      "applied": "{{migrate.applied}}",
      "backup": "{{backup.location}}"
    }
  },
  {
    "version": 1,
    "name": "deploy_multi_region",
    "description": "Deploy to multiple regions in parallel (us-east-1, eu-west-1, ap-southeast-1) after one build, then check every region's health",
    "category": "deployment",
    "tags": [
      "docker",
      "kubernetes",
      "k8s",
      "multi-region",
      "parallel",
      "production"
    ],
    "steps": [
      {
        "id": "build",
        "toolName": "docker_build",
        "parameters": {
          "image": "{{image}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-multi-region.ts",
          "line": 21,
          "column": 19
        }
      },
      {
        "id": "push",
        "toolName": "docker_push",
        "parameters": {
          "image": "{{image}}",
          "imageId": "{{build.imageId}}"
        },
        "dependsOn": [
          "build"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-multi-region.ts",
          "line": 22,
          "column": 18
        }
      },
      {
        "id": "deploy_us",
        "toolName": "kubectl_apply",
        "parameters": {
          "manifest": "{{manifest}}",
          "image": "{{push.imageRef}}",
          "namespace": "{{namespace}}",
          "region": "us-east-1"
        },
        "dependsOn": [
          "push"
        ],
        "condition": null,
        "maxRetries": 2,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-multi-region.ts",
          "line": 24,
          "column": 16
        }
      },
      {
        "id": "deploy_eu",
        "toolName": "kubectl_apply",
        "parameters": {
          "manifest": "{{manifest}}",
          "image": "{{push.imageRef}}",
          "namespace": "{{namespace}}",
          "region": "eu-west-1"
        },
        "dependsOn": [
          "push"
        ],
        "condition": null,
        "maxRetries": 2,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-multi-region.ts",
          "line": 28,
          "column": 16
        }
      },
      {
        "id": "deploy_asia",
        "toolName": "kubectl_apply",
        "parameters": {
          "manifest": "{{manifest}}",
          "image": "{{push.imageRef}}",
          "namespace": "{{namespace}}",
          "region": "ap-southeast-1"
        },
        "dependsOn": [
          "push"
        ],
        "condition": null,
        "maxRetries": 2,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-multi-region.ts",
          "line": 32,
          "column": 18
        }
      },
      {
        "id": "verify",
        "toolName": "http_health_check",
        "parameters": {
          "urls": [
            "{{deploy_us.url}}",
            "{{deploy_eu.url}}",
            "{{deploy_asia.url}}"
          ]
        },
        "dependsOn": [
          "deploy_us",
          "deploy_eu",
          "deploy_asia"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-multi-region.ts",
          "line": 36,
          "column": 20
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "image": {
          "type": "string",
          "description": "name:tag"
        },
        "manifest": {
          "default": "k8s/production.yaml",
          "type": "string"
        },
        "namespace": {
          "default": "production",
          "type": "string"
        }
      },
      "required": [
        "image"
      ]
    },
    "outputs": {
      "urls": [
        "{{deploy_us.url}}",
        "{{deploy_eu.url}}",
        "{{deploy_asia.url}}"
      ],
      "healthy": "{{verify.healthy}}"
    }
  },
  {
    "version": 1,
    "name": "deploy_to_staging",
    "description": "Deploy application to staging environment: build the image, push it, apply the manifest; clean up if the deploy fails",
    "category": "deployment",
    "tags": [
      "docker",
      "kubernetes",
      "k8s",
      "kubectl",
      "staging"
    ],
    "steps": [
      {
        "id": "build",
        "toolName": "docker_build",
        "parameters": {
          "image": "{{image}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-to-staging.ts",
          "line": 20,
          "column": 19
        }
      },
      {
        "id": "push",
        "toolName": "docker_push",
        "parameters": {
          "image": "{{image}}",
          "imageId": "{{build.imageId}}"
        },
        "dependsOn": [
          "build"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-to-staging.ts",
          "line": 21,
          "column": 18
        }
      },
      {
        "id": "deploy",
        "toolName": "kubectl_apply",
        "parameters": {
          "manifest": "{{manifest}}",
          "image": "{{push.imageRef}}",
          "namespace": "{{namespace}}"
        },
        "dependsOn": [
          "push"
        ],
        "condition": null,
        "maxRetries": 2,
        "retryDelayMs": 1000,
        "backoff": "exponential",
        "timeoutMs": 300000,
        "description": "",
        "source": {
          "file": "library/builtins/deploy-to-staging.ts",
          "line": 22,
          "column": 20
        }
      },
      {
        "id": "cleanup",
        "toolName": "cleanup_resources",
        "parameters": {
          "resourceId": "{{push.imageRef}}",
          "reason": "deploy to staging failed"
        },
        "dependsOn": [
          "push",
          "deploy"
        ],
        "condition": "{{deploy.success}} == false",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "Failure handler: runs only when the deploy failed",
        "source": {
          "file": "library/builtins/deploy-to-staging.ts",
          "line": 27,
          "column": 5
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "image": {
          "type": "string",
          "description": "name:tag"
        },
        "manifest": {
          "default": "k8s/staging.yaml",
          "type": "string"
        },
        "namespace": {
          "default": "staging",
          "type": "string"
        }
      },
      "required": [
        "image"
      ]
    },
    "outputs": {
      "url": "{{deploy.url}}",
      "imageRef": "{{push.imageRef}}"
    }
  },
  {
    "version": 1,
    "name": "docker_build_scan_push",
    "description": "Build a container image, scan it for vulnerabilities and push it to the registry only when the scan is clean",
    "category": "ci",
    "tags": [
      "docker",
      "container",
      "security",
      "vulnerability",
      "registry"
    ],
    "steps": [
      {
        "id": "build",
        "toolName": "docker_build",
        "parameters": {
          "image": "{{image}}",
          "context": "{{context}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/docker-build-scan-push.ts",
          "line": 19,
          "column": 19
        }
      },
      {
        "id": "scan",
        "toolName": "image_scan",
        "parameters": {
          "imageId": "{{build.imageId}}",
          "severity": "high"
        },
        "dependsOn": [
          "build"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/docker-build-scan-push.ts",
          "line": 20,
          "column": 18
        }
      },
      {
        "id": "push",
        "toolName": "docker_push",
        "parameters": {
          "image": "{{image}}",
          "imageId": "{{build.imageId}}"
        },
        "dependsOn": [
          "build",
          "scan"
        ],
        "condition": "({{scan.critical}} == 0) and ({{scan.high}} <= {{maxHigh}})",
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "Skipped when the scan found a critical finding or too many high ones",
        "source": {
          "file": "library/builtins/docker-build-scan-push.ts",
          "line": 21,
          "column": 18
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "image": {
          "type": "string",
          "description": "name:tag"
        },
        "context": {
          "default": ".",
          "type": "string"
        },
        "maxHigh": {
          "description": "most high-severity findings allowed",
          "default": 0,
          "type": "integer",
          "minimum": 0,
          "maximum": 9007199254740991
        }
      },
      "required": [
        "image"
      ]
    },
    "outputs": {
      "imageRef": "{{push.imageRef}}",
      "reportUrl": "{{scan.reportUrl}}"
    }
  },
  {
    "version": 1,
    "name": "github_pr_workflow",
    "description": "Create PR and notify team: open a pull request for the newest open issue and post its link to Slack",
    "category": "development",
    "tags": [
      "github",
      "pull-request",
      "issues",
      "slack",
      "notification"
    ],
    "steps": [
      {
        "id": "list_issues",
        "toolName": "github_list_issues",
        "parameters": {
          "repo": "{{repo}}",
          "state": "open"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "Fetch the open issues; the newest one gets the pull request",
        "source": {
          "file": "library/builtins/github-pr-workflow.ts",
          "line": 20,
          "column": 20
        }
      },
      {
        "id": "create_pr",
        "toolName": "github_create_pr",
        "parameters": {
          "repo": "{{repo}}",
          "title": "Fix issue #{{list_issues.issues[0].number}}: {{list_issues.issues[0].title}}",
          "body": "Closes #{{list_issues.issues[0].number}}.\n\n{{list_issues.issues[0].body}}",
          "head": "{{branch}}"
        },
        "dependsOn": [
          "list_issues"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/github-pr-workflow.ts",
          "line": 24,
          "column": 16
        }
      },
      {
        "id": "notify",
        "toolName": "slack_send_message",
        "parameters": {
          "channel": "{{slackChannel}}",
          "message": "PR created: {{create_pr.prUrl}}"
        },
        "dependsOn": [
          "create_pr"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/github-pr-workflow.ts",
          "line": 32,
          "column": 5
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "repo": {
          "type": "string",
          "description": "owner/name"
        },
        "branch": {
          "type": "string",
          "description": "the branch holding the fix"
        },
        "slackChannel": {
          "default": "#dev",
          "type": "string"
        }
      },
      "required": [
        "repo",
        "branch"
      ]
    },
    "outputs": {
      "prUrl": "{{create_pr.prUrl}}",
      "prNumber": "{{create_pr.number}}"
    }
  },
  {
    "version": 1,
    "name": "incident_response",
    "description": "Respond to an incident: page the on-call, open an incident channel, gather logs and metrics, post a summary, open a postmortem issue",
    "category": "operations",
    "tags": [
      "incident",
      "on-call",
      "pagerduty",
      "slack",
      "monitoring",
      "kubernetes"
    ],
    "steps": [
      {
        "id": "page",
        "toolName": "pagerduty_create_incident",
        "parameters": {
          "service": "{{service}}",
          "title": "{{title}}",
          "severity": "{{severity}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/incident-response.ts",
          "line": 25,
          "column": 18
        }
      },
      {
        "id": "open_channel",
        "toolName": "slack_create_channel",
        "parameters": {
          "name": "inc-{{page.incidentId}}",
          "invite": "{{page.onCall}}"
        },
        "dependsOn": [
          "page"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/incident-response.ts",
          "line": 26,
          "column": 18
        }
      },
      {
        "id": "collect_logs",
        "toolName": "kubectl_logs",
        "parameters": {
          "service": "{{service}}",
          "namespace": "{{namespace}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/incident-response.ts",
          "line": 29,
          "column": 18
        }
      },
      {
        "id": "collect_metrics",
        "toolName": "metrics_query",
        "parameters": {
          "query": "errors{service=\"{{service}}\"}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/incident-response.ts",
          "line": 30,
          "column": 21
        }
      },
      {
        "id": "post_summary",
        "toolName": "slack_send_message",
        "parameters": {
          "channel": "{{open_channel.channel}}",
          "message": "{{title}} ({{page.url}}): {{collect_logs.errors}} errors in the logs; metrics: {{collect_metrics.summary}}"
        },
        "dependsOn": [
          "page",
          "open_channel",
          "collect_logs",
          "collect_metrics"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/incident-response.ts",
          "line": 33,
          "column": 5
        }
      },
      {
        "id": "postmortem_issue",
        "toolName": "github_create_issue",
        "parameters": {
          "repo": "{{repo}}",
          "title": "Postmortem: {{title}}",
          "body": "Incident {{page.url}}, channel {{open_channel.url}}",
          "labels": [
            "postmortem"
          ]
        },
        "dependsOn": [
          "page",
          "open_channel"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/incident-response.ts",
          "line": 39,
          "column": 24
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "service": {
          "type": "string"
        },
        "title": {
          "type": "string"
        },
        "severity": {
          "default": "sev2",
          "type": "string",
          "enum": [
            "sev1",
            "sev2",
            "sev3"
          ]
        },
        "namespace": {
          "default": "production",
          "type": "string"
        },
        "repo": {
          "type": "string",
          "description": "owner/name of the repository for the postmortem issue"
        }
      },
      "required": [
        "service",
        "title",
        "repo"
      ]
    },
    "outputs": {
      "incident": "{{page.url}}",
      "channel": "{{open_channel.url}}",
      "postmortem": "{{postmortem_issue.url}}"
    }
  },
  {
    "version": 1,
    "name": "slack_notification_chain",
    "description": "Announce something: post to a Slack channel, then pin it, cross-post its link to a second channel and e-mail it",
    "category": "communication",
    "tags": [
      "slack",
      "notification",
      "announcement",
      "email"
    ],
    "steps": [
      {
        "id": "post",
        "toolName": "slack_send_message",
        "parameters": {
          "channel": "{{channel}}",
          "message": "{{message}}"
        },
        "dependsOn": [],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/slack-notification-chain.ts",
          "line": 21,
          "column": 18
        }
      },
      {
        "id": "pin",
        "toolName": "slack_pin_message",
        "parameters": {
          "channel": "{{post.channel}}",
          "ts": "{{post.ts}}"
        },
        "dependsOn": [
          "post"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/slack-notification-chain.ts",
          "line": 22,
          "column": 5
        }
      },
      {
        "id": "crosspost",
        "toolName": "slack_send_message",
        "parameters": {
          "channel": "{{alsoChannel}}",
          "message": "{{message}} ({{post.permalink}})"
        },
        "dependsOn": [
          "post"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/slack-notification-chain.ts",
          "line": 23,
          "column": 5
        }
      },
      {
        "id": "email",
        "toolName": "send_email",
        "parameters": {
          "to": "{{emailTo}}",
          "subject": "{{subject}}",
          "body": "{{message}}\n\n{{post.permalink}}"
        },
        "dependsOn": [
          "post"
        ],
        "condition": null,
        "maxRetries": 0,
        "retryDelayMs": 1000,
        "backoff": "fixed",
        "timeoutMs": null,
        "description": "",
        "source": {
          "file": "library/builtins/slack-notification-chain.ts",
          "line": 26,
          "column": 5
        }
      }
    ],
    "inputs": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "channel": {
          "type": "string"
        },
        "message": {
          "type": "string"
        },
        "alsoChannel": {
          "type": "string",
          "description": "a second channel that gets the link"
        },
        "emailTo": {
          "default": [],
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "subject": {
          "default": "Announcement",
          "type": "string"
        }
      },
      "required": [
        "channel",
        "message",
        "alsoChannel"
      ]
    },
    "outputs": {
      "permalink": "{{post.permalink}}",
      "ts": "{{post.ts}}"
    }
  }
];
