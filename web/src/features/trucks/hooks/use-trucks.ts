import { useQuery } from '@tanstack/react-query';
import { keys } from '../../../lib/query-keys';
import { listTrucks } from '../api/list-trucks';

/** All trucks, kept live by `truck_updated` events (see lib/realtime). */
export const useTrucks = () => useQuery({ queryKey: keys.trucks, queryFn: ({ signal }) => listTrucks(signal), staleTime: 60_000 });
