/** The trace builders the webview tests use; they live beside the webview (webview/testing). */
export * from '../../../webview/testing/traceBuilder';
