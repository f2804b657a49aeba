/**
 * Mode `all`: SQS's own message move task from a DLQ back to its work queue, as the console's "Start DLQ
 * redrive" does it (every dead letter, at most 500 a second, one task per DLQ), followed and cancelled
 * through ListMessageMoveTasks and CancelMessageMoveTask.
 */
import { CancelMessageMoveTaskCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface MoveTaskState {
  readonly status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  readonly moved: number;
  readonly toMove: number;
  readonly failureReason?: string;
  readonly startedAt?: number;
}

export class MoveTasks {
  constructor(private readonly sqs: SQSClient) {}

  /** Starts moving every message of the DLQ back to the work queue; answers the task handle. */
  async start(deadLetterQueueArn: string, queueArn: string, maxPerSecond: number): Promise<string> {
    const { TaskHandle } = await this.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: deadLetterQueueArn, DestinationArn: queueArn, MaxNumberOfMessagesPerSecond: maxPerSecond }),
    );
    if (!TaskHandle) throw new Error('StartMessageMoveTask answered no TaskHandle');
    return TaskHandle;
  }

  /** The DLQ's most recent task, if any. */
  async latest(deadLetterQueueArn: string): Promise<MoveTaskState | undefined> {
    const { Results = [] } = await this.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueueArn, MaxResults: 1 }));
    const [task] = Results;
    if (!task?.Status) return undefined;
    return {
      status: task.Status as MoveTaskState['status'],
      moved: task.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task.ApproximateNumberOfMessagesToMove ?? 0,
      ...(task.FailureReason ? { failureReason: task.FailureReason } : {}),
      ...(task.StartedTimestamp ? { startedAt: task.StartedTimestamp } : {}),
    };
  }

  /** Asks the task to stop; what it moved stays moved. A task already ended is left alone. */
  async cancel(taskHandle: string): Promise<void> {
    try {
      await this.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}
