// Wire types: snake_case mirrors of the server's DTO records (Features/*/…Response.cs, Realtime/IOffersClient.cs).

export type OfferStatus = 'active' | 'completed' | 'cancelled';
export type ProposalStatus = 'sent' | 'viewed' | 'accepted' | 'rejected' | 'counter_offered';
export type SenderType = 'dispatcher' | 'driver';
export type MessageType = 'text' | 'rate_proposal' | 'system';

export interface ProposalCounters {
  total: number;
  sent: number;
  viewed: number;
  accepted: number;
  rejected: number;
  counter_offered: number;
}

export interface DispatcherContact {
  id: number;
  full_name: string;
  mobile_number: string | null;
  email: string | null;
}

export interface Offer {
  id: number;
  created_by: number;
  pickup_location: string;
  pickup_lat: number | null;
  pickup_lon: number | null;
  delivery_location: string;
  delivery_lat: number | null;
  delivery_lon: number | null;
  pickup_window_start: string | null;
  pickup_window_end: string | null;
  delivery_window_start: string | null;
  delivery_window_end: string | null;
  weight_lbs: number | null;
  dimensions: string | null;
  distance_miles: number | null;
  proposed_rate: number;
  rate_per_mile: number | null;
  status: OfferStatus;
  is_expired: boolean;
  notes: string | null;
  auto_book: boolean;
  expires_at: string | null;
  booked_driver_id: number | null;
  booked_rate: number | null;
  booked_at: string | null;
  load_taken: boolean;
  created_at: string;
  updated_at: string;
  version: number;
  counters: ProposalCounters | null;
  unread_count: number;
  dispatcher: DispatcherContact | null;
  my_proposal: Proposal | null;
}

export interface ProposalDriver {
  id: number;
  truck_number: string | null;
  driver_name: string | null;
  cell_phone: string | null;
  city_state_zip: string | null;
  status: string | null;
}

export interface Proposal {
  id: number;
  offer_id: number;
  driver_id: number;
  status: ProposalStatus;
  driver_proposed_rate: number | null;
  dispatcher_proposed_rate: number | null;
  agreed_rate: number | null;
  viewed_at: string | null;
  responded_at: string | null;
  created_at: string;
  updated_at: string;
  offer_status: OfferStatus;
  is_booked: boolean;
  unread_count: number;
  driver: ProposalDriver | null;
}

export interface ChatMessage {
  id: number;
  offer_id: number;
  driver_id: number;
  sender_type: SenderType;
  sender_id: number;
  message: string;
  message_type: MessageType;
  rate: number | null;
  is_read: boolean;
  read_at: string | null;
  created_at: string;
  client_message_id: string | null;
}

export interface TypingEvent {
  offer_id: number;
  driver_id: number;
  user_type: SenderType;
  user_id: number;
  name: string;
  is_typing: boolean;
}

export interface MessageReadEvent {
  offer_id: number;
  driver_id: number;
  reader_type: SenderType;
  reader_id: number;
  up_to_id: number;
  read_at: string;
}

export interface PresenceEvent {
  user_type: SenderType;
  user_id: number;
  is_online: boolean;
  last_seen: string;
}

/** A truck (and its driver) from /api/drivers/*. Presence fields are optional: filled when the server knows them. */
export interface Truck {
  id: number;
  truck_number: string | null;
  status: string | null;
  driver_name: string | null;
  cell_phone: string | null;
  city_state_zip: string | null;
  dimensions: string | null;
  rate: string | null;
  mail?: string | null;
  latitude: number | null;
  longitude: number | null;
  is_active?: boolean;
  updated_at: string | null;
  is_online?: boolean;
  last_seen?: string | null;
  distance_miles?: number | null;
}

/** One autocomplete suggestion from /api/geo/search. */
export interface Place {
  label: string;
  lat: number;
  lon: number;
}

export interface Me {
  user_type: SenderType;
  id: number;
  role: string;
  name: string;
  username: string | null;
  email: string | null;
  mobile_number: string | null;
  truck_number: string | null;
}
