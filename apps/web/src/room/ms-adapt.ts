import type { types as ms } from 'mediasoup-client';
import type { RtpCapabilities, RtpParameters, TransportOptions } from '@dp/protocol';

// The protocol's zod shapes and mediasoup-client's types describe the same objects, but
// the protocol bounds sizes and leaves some fields optional that mediasoup-client marks
// required (the server always fills them). These converters are the one place where the
// two type systems meet, so the casts are not scattered through the room logic.

export function toMsRtpCapabilities(caps: RtpCapabilities): ms.RtpCapabilities {
  return caps as ms.RtpCapabilities;
}

export function toMsRtpParameters(params: RtpParameters): ms.RtpParameters {
  return params as ms.RtpParameters;
}

export function toProtocolRtpParameters(params: ms.RtpParameters): RtpParameters {
  return params as RtpParameters;
}

export function toProtocolRtpCapabilities(caps: ms.RtpCapabilities): RtpCapabilities {
  return caps as RtpCapabilities;
}

export function toMsTransportOptions(o: TransportOptions): ms.TransportOptions {
  return {
    id: o.id,
    iceParameters: o.iceParameters,
    // mediasoup ≥ 3.12 sends `address`; `ip` is its deprecated twin that the client type still requires.
    iceCandidates: o.iceCandidates.map((c) => ({ ...c, ip: c.ip ?? c.address })),
    dtlsParameters: o.dtlsParameters,
  };
}
