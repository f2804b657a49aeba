/**
 * CloudFormation `DescribeStacks` answering the local stack and its outputs (query protocol, XML:
 * what both the SDK v3 client and the AWS CLI speak).
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../template/resource-identity';
import { AwsServiceError } from './aws-errors';
import type { HandlerResult, InboundRequest, LocalService, Route } from './local-service';
import { element } from './xml';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export interface LocalStackDescription {
  readonly stackName: string;
  readonly description?: string;
  readonly outputs: Record<string, string>;
  /** Output descriptions from the template. */
  readonly outputDescriptions: Record<string, string | undefined>;
  readonly createdAt: Date;
}

export class CloudFormationService implements LocalService {
  readonly name = 'CloudFormation';
  readonly routes = { signingName: 'cloudformation', protocol: 'query', unsignedActions: ['DescribeStacks'] } as const;
  readonly supports = ['DescribeStacks'];
  private readonly stackId: string;

  constructor(private readonly stack: LocalStackDescription) {
    this.stackId = `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stack/${stack.stackName}/${randomUUID()}`;
  }

  async handle(_request: InboundRequest, { params }: Route): Promise<HandlerResult> {
    const requested = params?.get('StackName');
    if (requested && requested !== this.stack.stackName && requested !== this.stackId) {
      throw new AwsServiceError('ValidationError', `Stack with id ${requested} does not exist`);
    }
    const outputs = Object.entries(this.stack.outputs).map(([key, value]) =>
      element('member', [element('OutputKey', key), element('OutputValue', value), element('Description', this.stack.outputDescriptions[key])]),
    );
    const stack = element('member', [
      element('StackId', this.stackId),
      element('StackName', this.stack.stackName),
      element('Description', this.stack.description),
      element('CreationTime', this.stack.createdAt.toISOString()),
      element('StackStatus', 'CREATE_COMPLETE'),
      element('DisableRollback', false),
      element('EnableTerminationProtection', false),
      element('Outputs', outputs),
      element('Tags', []),
      element('DriftInformation', [element('StackDriftStatus', 'NOT_CHECKED')]),
    ]);
    const body = `<DescribeStacksResponse xmlns="${XMLNS}">${element('DescribeStacksResult', [element('Stacks', [stack])])}${element('ResponseMetadata', [element('RequestId', randomUUID())])}</DescribeStacksResponse>`;
    return { status: 200, headers: { 'content-type': 'text/xml' }, body };
  }
}
