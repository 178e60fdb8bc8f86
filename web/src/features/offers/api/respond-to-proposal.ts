import { api } from '../../../lib/api/client';
import type { Proposal } from '../../../lib/api/types';

export type ProposalAction = 'view' | 'accept' | 'reject' | 'counter';

/** The driver responds; a dispatcher's `counter` is a counter back to the driver's counter-offer. */
export const respondToProposal = (proposalId: number, action: ProposalAction, rate?: number) =>
  api<Proposal>(`/api/proposals/${proposalId}/respond`, { method: 'PUT', body: rate === undefined ? { action } : { action, rate } });
