// MediaFiles upload module.
// Takes the files dropped on (or picked through) a drop zone and POSTs each one's bytes to the
// streaming upload endpoint — at most `parallel` at a time — reporting bytes sent to the Blazor
// component. The server's own stages (hashing, checking, variants, saved/refused) reach the
// component over the circuit; this module only moves bytes and decides nothing about them. See docs/architecture.md.

const PROGRESS_INTERVAL_MS = 120;

export function attach(zone, inputs, dotnet, config) {
    const queue = [];
    const files = new Map();
    let active = 0;
    let counter = 0;
    let disposed = false;

    const prevent = e => { e.preventDefault(); e.stopPropagation(); };
    const onDragOver = e => { prevent(e); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; zone.classList.add('drop-zone--over'); };
    const onDragLeave = e => { prevent(e); if (!zone.contains(e.relatedTarget)) zone.classList.remove('drop-zone--over'); };
    const onDrop = e => {
        prevent(e);
        zone.classList.remove('drop-zone--over');
        if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
    };
    const onPick = e => { add(e.target.files); e.target.value = ''; };
    const onKey = e => {
        if (e.target === zone && (e.key === 'Enter' || e.key === ' ')) { prevent(e); inputs[0]?.click(); }
    };

    zone.addEventListener('dragenter', onDragOver);
    zone.addEventListener('dragover', onDragOver);
    zone.addEventListener('dragleave', onDragLeave);
    zone.addEventListener('drop', onDrop);
    zone.addEventListener('keydown', onKey);
    for (const input of inputs) input?.addEventListener('change', onPick);
    zone.dataset.uploadReady = 'true';

    async function add(fileList) {
        const batch = [];
        for (const file of Array.from(fileList || [])) {
            const key = `f${Date.now().toString(36)}-${(counter++).toString(36)}`;
            files.set(key, file);
            batch.push({ key, name: file.name, size: file.size, type: file.type || '' });
        }
        if (batch.length === 0 || disposed) return;
        // The component decides which files go (it knows the limits) and answers with their keys.
        let accepted = [];
        try { accepted = await dotnet.invokeMethodAsync('FilesAdded', batch); } catch { accepted = []; }
        for (const item of batch) {
            if (accepted.includes(item.key)) queue.push(item.key); else files.delete(item.key);
        }
        pump();
        reveal();
    }

    // After a photo is shot (or files picked) on a phone the list of uploads may be below the fold:
    // bring it into view once Blazor has rendered it.
    function reveal(tries = 20) {
        const list = zone.closest('[data-testid=media-drop-zone]')?.querySelector('[data-testid=upload-list]');
        if (list) {
            list.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        } else if (tries > 0 && !disposed) {
            requestAnimationFrame(() => reveal(tries - 1));
        }
    }

    function pump() {
        while (!disposed && active < config.parallel && queue.length > 0) {
            const key = queue.shift();
            active++;
            send(key, files.get(key)).finally(() => { active--; files.delete(key); pump(); });
        }
    }

    function send(key, file) {
        return new Promise(resolve => {
            const xhr = new XMLHttpRequest();
            let last = 0;
            // Photo or clip is the server's call, from the bytes; the url only says whether it is for a series.
            xhr.open('POST', `${config.url}&key=${encodeURIComponent(key)}`);
            xhr.setRequestHeader(config.tokenHeader, config.token);
            xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
            xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
            xhr.upload.onprogress = e => {
                const now = performance.now();
                if (now - last < PROGRESS_INTERVAL_MS && e.loaded < e.total) return;
                last = now;
                dotnet.invokeMethodAsync('Progress', key, e.loaded).catch(() => { });
            };
            xhr.onload = () => {
                dotnet.invokeMethodAsync('Completed', key, xhr.status, xhr.responseText).catch(() => { });
                resolve();
            };
            xhr.onerror = () => {
                dotnet.invokeMethodAsync('Failed', key, 'The connection was lost while sending the file.').catch(() => { });
                resolve();
            };
            xhr.onabort = () => resolve();
            dotnet.invokeMethodAsync('Started', key).catch(() => { });
            xhr.send(file);
        });
    }

    return {
        // The component switches between separate photos and a series: the URL says which.
        configure(options) { Object.assign(config, options); },
        dispose() {
            disposed = true;
            delete zone.dataset.uploadReady;
            zone.removeEventListener('dragenter', onDragOver);
            zone.removeEventListener('dragover', onDragOver);
            zone.removeEventListener('dragleave', onDragLeave);
            zone.removeEventListener('drop', onDrop);
            zone.removeEventListener('keydown', onKey);
            for (const input of inputs) input?.removeEventListener('change', onPick);
        },
    };
}
