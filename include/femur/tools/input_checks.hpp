// Checks of input tables that the readers cannot make (they need the model or the tool's
// window): units that cannot be right, the resampling OpenSim's filter decides on, and the
// window of a long file that a tool needs. Warnings carry their evidence (issue 21).
#pragma once

#include <string>

#include <Eigen/Core>

#include "femur/io/table.hpp"
#include "femur/model/model.hpp"

namespace femur::tools {

// A warning (empty if none) when a coordinates table read in radians (no inDegrees=yes)
// holds rotational coordinates beyond 2 pi, which joint angles in radians do not reach and
// angles in degrees do: "FILE: coordinate 'knee_angle_r' reaches 70.3, read in radians
// (4028 degrees) because the header has no inDegrees=yes; ...".
std::string coordinates_in_degrees_warning(const Model& model, const io::Table& coordinates, const std::string& file);

// A warning (empty if none) when the markers of a frame span more than 20 m or less than
// 2 cm once converted with the file's Units (median over frames): a file labelled m but
// holding mm, or the reverse.
std::string marker_units_warning(const io::MarkerTable& markers, const std::string& file);

// A warning (empty if none) when filtering resampled the coordinates to a coarser step than
// the file's (OpenSim's Storage::resample caps a padded table at 100000 rows).
std::string resampling_warning(const Eigen::VectorXd& file_time, const Eigen::VectorXd& filtered_time,
                               const std::string& file);

// Keeps only the rows of `table` within [t0 - margin_s, t1 + margin_s], widened by
// `margin_rows` rows on each side; returns how many rows were dropped before the first kept
// one (the index of the first kept row in the table given). A tool that runs on a
// window of a long file reads only what it needs: the filter's effect decays as
// exp(-pi fc t) (third-order Butterworth), the interpolating quintic spline's by a factor
// ~0.04 per knot, so margins of 9/fc s and 20 rows leave the window's values as on the
// whole file to about 1e-12.
int trim_to_window(io::Table& table, double t0, double t1, double margin_s, int margin_rows);

}  // namespace femur::tools
