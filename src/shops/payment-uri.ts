import QRCode from 'qrcode';

/**
 * What a payer's app scans: a compact URI naming the request, which the app
 * resolves with paymentRequest(id). It holds no amount or account, so a
 * printed code cannot be altered into paying someone else without the
 * request itself changing.
 */
export function paymentUri(requestId: string): string {
  return `mutua:pay?r=${requestId}`;
}

/**
 * The URI as an SVG QR code (error correction M, which survives a scuffed
 * sticker on a counter, with the quiet zone of 4 modules the standard asks
 * for).
 */
export function paymentQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
