import { ServiceError, type WorkflowStartUpdateInput, type WorkflowStartUpdateOutput } from '@temporalio/client';
import { CLIENT_INTERCEPTORS, isUpdateLostToFailedTask } from '../../config/temporal';

/** A gRPC error as @grpc/grpc-js builds it. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: { get: () => [] } });
}

const lost = () => new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.') });
const input = { updateName: 'cancel', args: [], workflowExecution: { workflowId: 'run-1' }, headers: {}, options: { updateId: 'update-1' } } as unknown as WorkflowStartUpdateInput;
const output: WorkflowStartUpdateOutput = { updateId: 'update-1', workflowRunId: 'r' };

function startUpdate(next: (sent: WorkflowStartUpdateInput) => Promise<WorkflowStartUpdateOutput>) {
  const interceptor = (CLIENT_INTERCEPTORS.workflow as { startUpdate: (i: WorkflowStartUpdateInput, n: typeof next) => Promise<WorkflowStartUpdateOutput> }[])[0]!;
  return interceptor.startUpdate(input, next);
}

describe('Updates lost to a failed workflow task', () => {
  it('recognises only the server’s answer for an Update whose workflow task failed', () => {
    expect(isUpdateLostToFailedTask(lost())).toBe(true);
    expect(isUpdateLostToFailedTask(new ServiceError('x', { cause: grpcError(9, 'workflow execution already completed') }))).toBe(false);
    expect(isUpdateLostToFailedTask(new ServiceError('x', { cause: grpcError(14, 'unexpected workflow task failure') }))).toBe(false);
    expect(isUpdateLostToFailedTask(new Error('unexpected workflow task failure'))).toBe(false);
  });

  it('sends the same Update again, under the same id, until the workflow answers', async () => {
    const sent: WorkflowStartUpdateInput[] = [];
    const next = jest.fn(async (attempt: WorkflowStartUpdateInput) => {
      sent.push(attempt);
      if (sent.length < 3) throw lost();
      return output;
    });
    await expect(startUpdate(next)).resolves.toBe(output);
    expect(sent.map((attempt) => attempt.options.updateId)).toEqual(['update-1', 'update-1', 'update-1']);
  });

  it('gives up after five attempts, and never repeats another error', async () => {
    const always = jest.fn(async () => Promise.reject(lost()));
    await expect(startUpdate(always)).rejects.toThrow('Workflow Update failed');
    expect(always).toHaveBeenCalledTimes(5);
    const refused = jest.fn(async () => Promise.reject(new ServiceError('refused', { cause: grpcError(3, 'invalid argument') })));
    await expect(startUpdate(refused)).rejects.toThrow('refused');
    expect(refused).toHaveBeenCalledTimes(1);
  });
});
