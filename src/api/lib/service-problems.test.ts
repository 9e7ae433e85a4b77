import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, VersionMismatchError } from '../../services/errors.js';
import { MallIdTakenError } from '../../services/mall-links.js';
import { problemOfServiceError } from './service-problems.js';
import type { Principal } from './types.js';

const admin: Principal = { keyId: 'k-admin', role: 'admin', cstCd: null };
const customerA: Principal = { keyId: 'k-a', role: 'customer', cstCd: 'CSTA' };

describe('problemOfServiceError', () => {
  it('maps each kind of failure to its status and problem type', () => {
    const problem = (error: Parameters<typeof problemOfServiceError>[0]) => problemOfServiceError(error, admin)?.toProblem();
    expect(problem(new NotFoundError('mall link x'))).toMatchObject({ status: 404, type: '/problems/not-found', detail: 'mall link x was not found' });
    expect(problem(new VersionMismatchError('link', 4))).toMatchObject({ status: 412, type: '/problems/precondition-failed', detail: expect.stringContaining('"4"') });
    expect(problem(new InvalidInputError([{ path: 'sender', message: 'required' }]))).toMatchObject({
      status: 422,
      type: '/problems/validation-error',
      errors: [{ path: 'sender', message: 'required' }],
    });
    expect(problem(new ConflictError('shop-limit', 'Shop Limit Reached', 'at most 5'))).toMatchObject({ status: 409, type: '/problems/shop-limit', title: 'Shop Limit Reached', detail: 'at most 5' });
  });

  it('names the link that holds a mall id only to a caller who may see it', () => {
    const taken = new MallIdTakenError('shop1', { id: 'link-1', cstCd: 'CSTA' });
    expect(problemOfServiceError(taken, customerA)?.toProblem()).toMatchObject({ status: 409, type: '/problems/mall-id-taken', existingLinkId: 'link-1', detail: expect.stringContaining('link-1') });
    const hidden = problemOfServiceError(taken, { keyId: 'k-b', role: 'customer', cstCd: 'CSTB' })?.toProblem();
    expect(hidden).toMatchObject({ status: 409, type: '/problems/mall-id-taken' });
    expect(hidden).not.toHaveProperty('existingLinkId');
    expect(hidden?.detail).not.toContain('link-1');
  });
});
