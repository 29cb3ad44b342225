// MediaFiles reorder module: drag a tile of a grid onto another tile's place.
// Pointer events, so mouse, pen and touch all work (HTML5 drag-and-drop never fires for touch on
// most phones). The DOM is never rearranged here — Blazor owns it: the dragged tile and the target
// are only marked with classes, and on release the component is told "move i to j" (1-based) and
// re-renders the saved order. Touch starts a drag only from the tile's [data-drag-handle], so the
// rest of the tile still scrolls the page; a mouse can drag the whole tile.

const START_DISTANCE = 6;
// Within this many pixels of the window's top or bottom edge a drag scrolls the page, faster nearer the edge.
const EDGE = 64;
const MAX_SCROLL_STEP = 18;

export function attach(grid, dotnet) {
    let drag = null;
    let suppressClick = false;
    let scrolling = 0;

    const tiles = () => Array.from(grid.querySelectorAll('[data-reorder-item]'));
    const clear = () => grid.querySelectorAll('.reorder-target, .reorder-dragging')
        .forEach(el => el.classList.remove('reorder-target', 'reorder-dragging'));

    function onDown(e) {
        // A new touch is a new gesture: whatever the last drag left behind must not swallow its tap.
        suppressClick = false;
        if (e.button > 0 || grid.dataset.reorderDisabled === 'true') return;
        const tile = e.target.closest('[data-reorder-item]');
        if (!tile || !grid.contains(tile)) return;
        if (e.target.closest('input, textarea, [data-no-drag]')) return;
        if (e.pointerType !== 'mouse' && !e.target.closest('[data-drag-handle]')) return;
        drag = { tile, from: tiles().indexOf(tile), x: e.clientX, y: e.clientY, active: false, target: null, id: e.pointerId };
    }

    function onMove(e) {
        if (!drag || e.pointerId !== drag.id) return;
        if (!drag.active) {
            if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < START_DISTANCE) return;
            drag.active = true;
            drag.tile.classList.add('reorder-dragging');
            try { grid.setPointerCapture(e.pointerId); } catch { }
        }
        e.preventDefault();
        drag.lastX = e.clientX;
        drag.lastY = e.clientY;
        retarget();
        if (!scrolling) scrolling = requestAnimationFrame(autoScroll);
    }

    function retarget() {
        const over = document.elementFromPoint(drag.lastX, drag.lastY)?.closest('[data-reorder-item]');
        const target = over && grid.contains(over) && over !== drag.tile ? over : null;
        if (target !== drag.target) {
            drag.target?.classList.remove('reorder-target');
            target?.classList.add('reorder-target');
            drag.target = target;
        }
    }

    // Near the top or bottom edge the page scrolls under the finger, so a tile can go anywhere in a long series.
    function autoScroll() {
        scrolling = 0;
        if (!drag || !drag.active) return;
        const y = drag.lastY;
        const step = y < EDGE ? -Math.ceil(MAX_SCROLL_STEP * (EDGE - y) / EDGE)
            : y > window.innerHeight - EDGE ? Math.ceil(MAX_SCROLL_STEP * (y - (window.innerHeight - EDGE)) / EDGE) : 0;
        if (step === 0) return;
        window.scrollBy(0, step);
        retarget();
        scrolling = requestAnimationFrame(autoScroll);
    }

    function onUp(e) {
        if (!drag || e.pointerId !== drag.id) return;
        const { active, target, from } = drag;
        drag = null;
        try { grid.releasePointerCapture(e.pointerId); } catch { }
        if (!active) return;
        // Only the click this release itself produces (if it lands on a tile) is swallowed; the next tap is a new gesture.
        suppressClick = true;
        setTimeout(() => { suppressClick = false; }, 0);
        const to = target ? tiles().indexOf(target) : -1;
        if (to >= 0 && to !== from) {
            grid.dataset.reorderPending = 'true';
            dotnet.invokeMethodAsync('MoveFromDrag', from + 1, to + 1)
                .catch(() => { })
                .finally(() => { clear(); delete grid.dataset.reorderPending; });
        } else {
            clear();
        }
    }

    function onCancel() { drag = null; suppressClick = false; clear(); }

    // The click that ends a drag must not open the photo.
    function onClick(e) {
        if (suppressClick) { suppressClick = false; e.stopPropagation(); e.preventDefault(); }
    }

    grid.addEventListener('pointerdown', onDown);
    grid.addEventListener('pointermove', onMove);
    grid.addEventListener('pointerup', onUp);
    grid.addEventListener('pointercancel', onCancel);
    grid.addEventListener('click', onClick, true);
    grid.dataset.reorderReady = 'true';

    return {
        dispose() {
            if (scrolling) cancelAnimationFrame(scrolling);
            grid.removeEventListener('pointerdown', onDown);
            grid.removeEventListener('pointermove', onMove);
            grid.removeEventListener('pointerup', onUp);
            grid.removeEventListener('pointercancel', onCancel);
            grid.removeEventListener('click', onClick, true);
            delete grid.dataset.reorderReady;
        },
    };
}
