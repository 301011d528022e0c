#include "gigasim/model/compute.hpp"

#include <stdexcept>

#include <Eigen/Dense>

namespace gigasim {

std::string to_string(Precision p) { return p == Precision::FP8 ? "fp8" : "bf16"; }

double peak_flops(const ChipType& chip, Precision p) {
  if (p == Precision::FP8 && chip.fp8_flops > 0) return chip.fp8_flops;
  return chip.bf16_flops;
}

double ScalingModel::efficiency(std::uint32_t chips) const {
  const double n = chips;
  switch (kind) {
    case Kind::None: return 1.0;
    case Kind::Amdahl: return 1.0 / (1.0 + a * (n - 1.0));
    case Kind::Usl: return 1.0 / (1.0 + a * (n - 1.0) + b * n * (n - 1.0));
  }
  return 1.0;
}

namespace {

void check_points(std::span<const ScalingPoint> points) {
  bool informative = false;
  for (const auto& p : points) {
    if (!(p.chips >= 1) || !(p.efficiency > 0 && p.efficiency <= 1))
      throw std::invalid_argument("scaling points need chips >= 1 and efficiency in (0, 1]");
    informative |= p.chips > 1;
  }
  if (!informative) throw std::invalid_argument("scaling fit needs at least one point with more than one chip");
}

// Least squares of y = X c over the given columns; relative weighting is not needed because
// the linearised residuals 1/e - 1 are already on the scale the model predicts.
Eigen::VectorXd solve(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  return x.colPivHouseholderQr().solve(y);
}

}  // namespace

ScalingModel fit_amdahl(std::span<const ScalingPoint> points) {
  check_points(points);
  const auto m = static_cast<Eigen::Index>(points.size());
  Eigen::MatrixXd x(m, 1);
  Eigen::VectorXd y(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    const auto& p = points[static_cast<std::size_t>(i)];
    x(i, 0) = p.chips - 1.0;
    y(i) = 1.0 / p.efficiency - 1.0;
  }
  ScalingModel s;
  s.kind = ScalingModel::Kind::Amdahl;
  s.a = std::max(0.0, solve(x, y)(0));
  return s;
}

ScalingModel fit_usl(std::span<const ScalingPoint> points) {
  check_points(points);
  const auto m = static_cast<Eigen::Index>(points.size());
  Eigen::MatrixXd x(m, 2);
  Eigen::VectorXd y(m);
  for (Eigen::Index i = 0; i < m; ++i) {
    const auto& p = points[static_cast<std::size_t>(i)];
    x(i, 0) = p.chips - 1.0;
    x(i, 1) = p.chips * (p.chips - 1.0);
    y(i) = 1.0 / p.efficiency - 1.0;
  }
  ScalingModel s;
  s.kind = ScalingModel::Kind::Usl;
  // Column scaling keeps the QR well conditioned when n(n-1) is ~10^8 and n-1 ~10^4.
  const Eigen::Vector2d scale(1.0 / std::max(1.0, x.col(0).cwiseAbs().maxCoeff()),
                              1.0 / std::max(1.0, x.col(1).cwiseAbs().maxCoeff()));
  const Eigen::MatrixXd xs = x * scale.asDiagonal();
  Eigen::VectorXd c = solve(xs, y).cwiseProduct(scale);
  if (m < 2 || c(0) < 0 || c(1) < 0) {
    // Constrained to >= 0: try each single-term model and keep the better one.
    auto one = [&](int col) {
      const Eigen::VectorXd xc = x.col(col);
      const double denom = xc.squaredNorm();
      const double coef = denom > 0 ? std::max(0.0, xc.dot(y) / denom) : 0.0;
      return std::pair{coef, (y - coef * xc).squaredNorm()};
    };
    const auto [ca, ra] = one(0);
    const auto [cb, rb] = one(1);
    c = ra <= rb ? Eigen::Vector2d(ca, 0.0) : Eigen::Vector2d(0.0, cb);
  }
  s.a = c(0);
  s.b = c(1);
  return s;
}

double job_flop_rate(const ChipType& chip, std::uint32_t chips, Precision p, double mfu,
                     const ScalingModel& scaling) {
  return static_cast<double>(chips) * peak_flops(chip, p) * mfu * scaling.efficiency(chips);
}

}  // namespace gigasim
