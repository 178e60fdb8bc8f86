import { useQuery } from '@tanstack/react-query';
import { keys } from '../../../lib/query-keys';
import { listOffers } from '../api/list-offers';

export const useOffers = () => useQuery({ queryKey: keys.offers, queryFn: ({ signal }) => listOffers(signal) });
