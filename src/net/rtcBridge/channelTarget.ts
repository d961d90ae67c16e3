// The RTCDataChannel members webtorrent's WebRTC layer uses, as one interface that both a real
// (transferred) RTCDataChannel and the worker's relayed channel satisfy, under DOM and WebWorker libs.

export type RtcChannelHandlerName =
  'onopen' | 'onmessage' | 'onclose' | 'onclosing' | 'onerror' | 'onbufferedamountlow';

export const RTC_CHANNEL_HANDLER_NAMES: readonly RtcChannelHandlerName[] = [
  'onopen',
  'onmessage',
  'onclose',
  'onclosing',
  'onerror',
  'onbufferedamountlow',
];

export type RtcChannelData = string | Blob | ArrayBuffer | ArrayBufferView<ArrayBuffer>;

export interface RtcChannelTarget extends EventTarget {
  binaryType: BinaryType;
  bufferedAmountLowThreshold: number;
  readonly bufferedAmount: number;
  readonly readyState: RTCDataChannelState;
  readonly label: string;
  readonly id: number | null;
  readonly ordered: boolean;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly maxRetransmits: number | null;
  readonly maxPacketLifeTime: number | null;
  // Method syntax on purpose: RTCDataChannel's four `send` overloads are assignable to it.
  send(data: RtcChannelData): void;
  close(): void;
}
