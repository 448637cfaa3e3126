import jsQR from 'jsqr';
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import type { Session } from '../session';
import { Field, PageTitle } from '../ui';

/**
 * Scan a shop's QR code with the camera, from a photo, or paste its link.
 * The code holds "mutua:pay?r=<id>" (or a link to this app's /pay/r/<id>);
 * either opens the payment request in this community, where the server
 * says what it is and whether it can still be paid.
 */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function paymentRequestIdOf(text: string): string | null {
  const trimmed = text.trim();
  const uri = /^mutua:pay\?(.*)$/i.exec(trimmed);
  if (uri !== null) {
    const id = new URLSearchParams(uri[1]).get('r');
    return id !== null && REQUEST_ID.test(id) ? id : null;
  }
  const link = /\/pay\/r\/([0-9a-f-]{36})(?:[/?#]|$)/i.exec(trimmed);
  if (link !== null && REQUEST_ID.test(link[1])) return link[1];
  return REQUEST_ID.test(trimmed) ? trimmed : null;
}

function decode(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement,
): string | null {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) return null;
  context.drawImage(source, 0, 0, width, height);
  const image = context.getImageData(0, 0, width, height);
  return jsQR(image.data, width, height)?.data ?? null;
}

export default function Scan({ session }: { session: Session }) {
  const location = useLocation();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [camera, setCamera] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [link, setLink] = useState('');

  const open = (text: string): boolean => {
    const id = paymentRequestIdOf(text);
    if (id === null) {
      setProblem(`That code is not a Mutua payment request (it reads “${text.slice(0, 80)}”).`);
      return false;
    }
    location.route(`/c/${session.slug}/pay/r/${id}`);
    return true;
  };

  useEffect(() => {
    if (!camera) return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        if (stopped) return media.getTracks().forEach((track) => track.stop());
        stream = media;
        const element = video.current;
        if (element === null || canvas.current === null) return;
        element.srcObject = media;
        await element.play();
        timer = setInterval(() => {
          if (element.videoWidth === 0 || canvas.current === null) return;
          const text = decode(element, element.videoWidth, element.videoHeight, canvas.current);
          if (text !== null && open(text)) setCamera(false);
        }, 250);
      })
      .catch((error: unknown) => {
        setProblem(
          `The camera could not be opened (${error instanceof Error ? error.message : String(error)}). Take a photo of the code instead, or paste its link.`,
        );
        setCamera(false);
      });
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [camera]);

  return (
    <>
      <PageTitle>Scan a payment code</PageTitle>
      <p>Point the camera at the shop's QR code, or use a photo of it, or paste its link.</p>
      <p class="actions">
        <button
          type="button"
          onClick={() => {
            setProblem(null);
            setCamera(!camera);
          }}
        >
          {camera ? 'Stop the camera' : 'Use the camera'}
        </button>
      </p>
      <video
        ref={video}
        class={camera ? 'camera' : 'hidden'}
        muted
        playsInline
        aria-label="Camera view"
      />
      <canvas ref={canvas} class="hidden" aria-hidden="true" />
      <Field id="photo" label="Or choose a photo of the code">
        <input
          id="photo"
          type="file"
          accept="image/*"
          capture="environment"
          onChange={async (event) => {
            setProblem(null);
            const file = event.currentTarget.files?.[0];
            if (file === undefined || canvas.current === null) return;
            try {
              const bitmap = await createImageBitmap(file);
              const text = decode(bitmap, bitmap.width, bitmap.height, canvas.current);
              bitmap.close();
              if (text === null)
                setProblem(
                  'No QR code found in that photo. Try again closer, with the code flat and sharp.',
                );
              else open(text);
            } catch {
              setProblem('That file could not be read as a picture.');
            }
          }}
        />
      </Field>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setProblem(null);
          open(link);
        }}
      >
        <Field id="link" label="Or paste the payment link">
          <input
            id="link"
            autocomplete="off"
            value={link}
            onInput={(event) => setLink(event.currentTarget.value)}
          />
        </Field>
        <button type="submit">Open</button>
      </form>
      <ErrorNotice error={problem} />
    </>
  );
}
