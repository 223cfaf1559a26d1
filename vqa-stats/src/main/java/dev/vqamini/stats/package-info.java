/**
 * Agreement between predicted quality and MOS as VQA papers report it: SRCC, PLCC (raw and after the 4-parameter
 * logistic fit), KRCC and RMSE ({@link dev.vqamini.stats.Agreement}).
 */
package dev.vqamini.stats;
