// Save as PDF for the route sheets (docs/design.md §9): the page exactly as it prints — its print stylesheet, one
// provider per page — written to a file the user picks. The renderer asks through the allow-listed
// `routeSheets:savePdf` request; ipc.ts hands it here with the window that asked.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, type SaveDialogOptions, type WebContents } from 'electron';
import { fail, ok, type Result } from '../../core/index';

export async function savePageAsPdf(contents: WebContents, fileName: string): Promise<Result<{ path: string | null }>> {
  try {
    const options: SaveDialogOptions = {
      title: 'Save route sheets as PDF',
      defaultPath: join(app.getPath('documents'), fileName),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const win = BrowserWindow.fromWebContents(contents);
    const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return ok({ path: null });
    // The page's @page rule decides the paper (Letter or A4, chosen in the preview) and the margins.
    const pdf = await contents.printToPDF({ printBackground: true, preferCSSPageSize: true });
    await writeFile(choice.filePath, pdf);
    return ok({ path: choice.filePath });
  } catch (error) {
    return fail('internal', `Could not save the PDF: ${error instanceof Error ? error.message : String(error)}`);
  }
}
