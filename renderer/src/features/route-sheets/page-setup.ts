import { useEffect } from 'react';
import type { Paper } from './route-sheets-url';

/**
 * While the route sheets are on screen: the print stylesheet applies (`html.rs-printing` hides the app's
 * chrome) and an @page rule asks for the chosen paper. The rule goes in a constructed stylesheet because
 * the CSP allows no inline <style>; the browser's print dialog and Electron's printToPDF both honour it.
 */
export function usePageSetup(paper: Paper): void {
  useEffect(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`@page { size: ${paper === 'a4' ? 'A4' : 'letter'} portrait; margin: 11mm 12mm 12mm; }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    document.documentElement.classList.add('rs-printing');
    document.documentElement.dataset.paper = paper;
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
      document.documentElement.classList.remove('rs-printing');
      delete document.documentElement.dataset.paper;
    };
  }, [paper]);
}
