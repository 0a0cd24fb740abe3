/**
 * The demo's presentation: the live console dashboard ({@link io.rota.examples.demo.view.ConsoleDashboard}
 * over a {@link io.rota.examples.demo.view.LiveView}, in ANSI or plain mode as
 * {@link io.rota.examples.demo.view.Terminal} decides), the end-of-run
 * {@link io.rota.examples.demo.view.SummaryTable} and the self-contained
 * {@link io.rota.examples.demo.view.HtmlReport}. Everything here renders a
 * {@link io.rota.examples.demo.RunRecord} or part of one; nothing here measures.
 */
@NullMarked
package io.rota.examples.demo.view;

import org.jspecify.annotations.NullMarked;
