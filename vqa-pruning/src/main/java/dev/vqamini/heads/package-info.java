/**
 * Closed-form refit of the regression heads (ridge on pooled features, distillation from the unpruned model) and the fitted model.
 */
package dev.vqamini.heads;
