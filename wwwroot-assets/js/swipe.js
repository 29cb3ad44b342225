// MediaFiles lightbox gestures: swipe between photos and pinch to zoom, with pointer events (touch,
// pen and mouse alike). The DOM stays Blazor's: the viewer is only told "step +1/-1" or "zoom
// in/out". It also notes the fitted size of the photo (--fit-w/--fit-h on the stage), so the zoomed
// photo is never drawn smaller than it was fitted (a small original would otherwise shrink).

const SWIPE_DISTANCE = 50;
const PINCH_RATIO = 1.15;

export function attach(stage, dotnet) {
    const pointers = new Map();
    let start = null;      // one finger: where it went down
    let pinch = null;      // two fingers: their first distance
    const zoomed = () => stage.classList.contains('lightbox-stage--zoomed');
    const distance = () => { const [a, b] = [...pointers.values()]; return Math.hypot(a.x - b.x, a.y - b.y); };

    function rememberFit() {
        const img = stage.querySelector('img[data-testid="lightbox-image"]');
        if (!img || zoomed() || !img.complete || img.clientWidth === 0) return;
        stage.style.setProperty('--fit-w', img.clientWidth + 'px');
        stage.style.setProperty('--fit-h', img.clientHeight + 'px');
    }

    function onDown(e) {
        pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
        rememberFit();
        if (pointers.size === 1) { start = { x: e.clientX, y: e.clientY, id: e.pointerId }; pinch = null; }
        else if (pointers.size === 2) { start = null; pinch = distance(); }
    }

    function onMove(e) {
        if (!pointers.has(e.pointerId)) return;
        pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
        if (pinch && pointers.size === 2) {
            const ratio = distance() / pinch;
            if (ratio > PINCH_RATIO && !zoomed()) { pinch = null; dotnet.invokeMethodAsync('ZoomFromGesture', true); }
            else if (ratio < 1 / PINCH_RATIO && zoomed()) { pinch = null; dotnet.invokeMethodAsync('ZoomFromGesture', false); }
        }
    }

    function onUp(e) {
        if (start && e.pointerId === start.id && !zoomed()) {
            const dx = e.clientX - start.x, dy = e.clientY - start.y;
            if (Math.abs(dx) > SWIPE_DISTANCE && Math.abs(dx) > Math.abs(dy) * 1.5) {
                dotnet.invokeMethodAsync('StepFromSwipe', dx < 0 ? 1 : -1);
                // The release ends a swipe, not a click on the photo (which would zoom).
                const swallow = ev => { ev.stopPropagation(); ev.preventDefault(); };
                stage.addEventListener('click', swallow, { capture: true, once: true });
                setTimeout(() => stage.removeEventListener('click', swallow, { capture: true }), 0);
            }
        }
        pointers.delete(e.pointerId);
        if (pointers.size < 2) pinch = null;
        if (pointers.size === 0) start = null;
    }

    const onLoad = () => rememberFit();
    stage.addEventListener('pointerdown', onDown);
    stage.addEventListener('pointermove', onMove);
    stage.addEventListener('pointerup', onUp);
    stage.addEventListener('pointercancel', onUp);
    stage.addEventListener('load', onLoad, true);
    window.addEventListener('resize', onLoad);
    rememberFit();

    return {
        detach() {
            stage.removeEventListener('pointerdown', onDown);
            stage.removeEventListener('pointermove', onMove);
            stage.removeEventListener('pointerup', onUp);
            stage.removeEventListener('pointercancel', onUp);
            stage.removeEventListener('load', onLoad, true);
            window.removeEventListener('resize', onLoad);
        },
    };
}
