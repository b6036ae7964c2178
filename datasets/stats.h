// Small statistics for the accuracy benchmark: mean absolute error, Spearman
// rank correlation and ROC AUC (Mann–Whitney), all ignoring nothing — callers
// drop the missing values first and report how many there were.
//
//   double mae = acuity::datasets::MeanAbsoluteError(estimates, truths);
//   double rho = acuity::datasets::Spearman(blur_labels, blur_readings);
//   double auc = acuity::datasets::RocAuc(scores_of_positives, scores_of_negatives);
#ifndef ACUITY_DATASETS_STATS_H_
#define ACUITY_DATASETS_STATS_H_

#include <vector>

namespace acuity::datasets {

// Mean of |a[i] − b[i]|; NaN when empty. The vectors must have the same size.
double MeanAbsoluteError(const std::vector<double>& a, const std::vector<double>& b);

// Ranks 1..n, ties get their average rank.
std::vector<double> Ranks(const std::vector<double>& values);

// Spearman's ρ (Pearson correlation of the ranks); NaN when n < 2 or a
// variable is constant.
double Spearman(const std::vector<double>& a, const std::vector<double>& b);

// Probability that a random positive scores above a random negative (ties
// count half): the area under the ROC curve. NaN when a class is empty.
double RocAuc(const std::vector<double>& positives, const std::vector<double>& negatives);

double Mean(const std::vector<double>& values);  // NaN when empty

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_STATS_H_
