/**
 * `POST /presign`: the presign function signs short-lived PUT URLs under `uploads/`. It may only put
 * objects there; it never reads the bucket. `GET /files/{id}`: the file-status function reads the file's
 * status item.
 */
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { FILE_STATUS_ROUTE } from '../contract/api-routes';
import { ENV } from '../contract/env';
import type { TidewatchConfig } from './config';
import type { TidewatchHttpApi } from './http-api';
import { InstrumentedFunction } from './instrumented-function';
import type { StatusTables } from './status-tables';
import type { UploadBucket } from './upload-bucket';

export interface UploadApiProps {
  readonly api: TidewatchHttpApi;
  readonly uploads: UploadBucket;
  readonly tables: StatusTables;
  readonly config: Pick<
    TidewatchConfig,
    'stage' | 'logLevel' | 'presignExpirySeconds' | 'maxUploadBytes' | 'allowedContentTypes'
  >;
}

export class UploadApi extends Construct {
  readonly presign: InstrumentedFunction;
  readonly fileStatus: InstrumentedFunction;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const { config } = props;
    this.presign = new InstrumentedFunction(this, 'Presign', {
      name: 'presign',
      config,
      environment: {
        [ENV.bucket]: props.uploads.bucket.bucketName,
        [ENV.presignExpirySeconds]: String(config.presignExpirySeconds),
        [ENV.maxUploadBytes]: String(config.maxUploadBytes),
        [ENV.allowedContentTypes]: config.allowedContentTypes.join(','),
      },
    });
    props.uploads.grantUpload(this.presign.role);
    props.api.addLambdaRoute(HttpMethod.POST, '/presign', this.presign.function);

    this.fileStatus = new InstrumentedFunction(this, 'FileStatus', {
      name: 'file-status',
      config,
      environment: { [ENV.statusTable]: props.tables.statusTable.tableName },
    });
    props.tables.grantStatus(this.fileStatus.function, 'GetItem');
    props.api.addLambdaRoute(HttpMethod.GET, FILE_STATUS_ROUTE, this.fileStatus.function);
  }
}
