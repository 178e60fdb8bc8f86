import { useQuery } from '@tanstack/react-query';
import { keys } from '../../../lib/query-keys';
import { listProposals } from '../api/list-proposals';

export const useProposals = (offerId: number | null) =>
  useQuery({
    queryKey: keys.proposals(offerId ?? 0),
    queryFn: ({ signal }) => listProposals(offerId!, signal),
    enabled: offerId != null,
  });
