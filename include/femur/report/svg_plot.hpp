// Inline SVG plots for the HTML report: a line plot (series over a numeric x, gaps at NaN)
// and a grouped bar plot (one bar per category and series), with axes, "nice" ticks, a
// legend (the series drawn, then the bands' labels) and optional bands (a literature range). Plain SVG 1.1 text: no
// scripts, no fonts or files fetched, so the report opens offline in any browser.
#pragma once

#include <string>
#include <vector>

#include "femur/report/document.hpp"

namespace femur::report {

struct PlotSize {
  int width = 720, height = 360;
};

// The SVG element for a figure (line or bar, as figure.kind says).
std::string svg_plot(const Figure& figure, PlotSize size = {});

// Tick values covering [lo, hi] at a 1, 2 or 5 x 10^k step, about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

// Text escaped for XML/HTML (& < > " ').
std::string escape_xml(const std::string& text);

}  // namespace femur::report
