// ScaleTool setup: GenericModelMaker, ModelScaler (MeasurementSet, ScaleSet, scaling_order)
// and MarkerPlacer (IKTaskSet). Property names and defaults: OpenSim/Tools/ScaleTool.cpp,
// GenericModelMaker.cpp, ModelScaler.cpp, MarkerPlacer.cpp, Measurement.cpp, MarkerPair.cpp,
// OpenSim/Simulation/Model/BodyScale.cpp, OpenSim/Common/Scale.cpp.
// All file names are relative to the setup's folder (ScaleTool passes _pathToSubject).
#include <fmt/format.h>

#include "femur/io/setup.hpp"
#include "setup_reader.hpp"

namespace femur::io::detail {
namespace {

GenericModelMaker read_generic_model_maker(OsimXmlReader& r, Node n) {
  GenericModelMaker g;
  g.present = true;
  for (Node c : r.children(r.object(n))) {
    if (c.name() == "model_file") r.read(c, g.model_file);
    else if (c.name() == "marker_set_file") r.read(c, g.marker_set_file);
    else r.unknown(c, "GenericModelMaker");
  }
  return g;
}

Measurement read_measurement(OsimXmlReader& r, Node o) {
  Measurement m;
  m.name = o.attribute("name");
  m.line = r.line(o);
  for (Node c : r.children(o)) {
    if (c.name() == "apply") {
      r.read(c, m.apply);
    } else if (c.name() == "MarkerPairSet") {
      r.for_each_object(c, "MarkerPairSet", "MarkerPair", [&](Node p) {
        MarkerPair pair;
        pair.line = r.line(p);
        bool found = false;
        for (Node pc : r.children(p)) {
          if (pc.name() == "markers") {
            std::vector<std::string> names;
            r.read(pc, names);
            if (names.size() != 2)
              r.fail(pc, fmt::format("<markers>: expected 2 marker names, got {} ('{}')", names.size(),
                                     r.text(pc)));
            pair.marker1 = names[0];
            pair.marker2 = names[1];
            found = true;
          } else {
            r.unknown(pc, "MarkerPair");
          }
        }
        if (!found) r.fail(p, "<MarkerPair>: no <markers>");
        m.marker_pairs.push_back(std::move(pair));
      });
    } else if (c.name() == "BodyScaleSet") {
      r.for_each_object(c, "BodyScaleSet", "BodyScale", [&](Node b) {
        BodyScale bs;
        bs.body = b.attribute("name");
        bs.line = r.line(b);
        for (Node bc : r.children(b)) {
          if (bc.name() == "axes") {
            r.read(bc, bs.axes);
            for (const std::string& a : bs.axes)
              if (a != "X" && a != "Y" && a != "Z" && a != "x" && a != "y" && a != "z")
                r.fail(bc, fmt::format("<axes>: expected X, Y or Z, got '{}'", a));
          } else {
            r.unknown(bc, "BodyScale");
          }
        }
        m.body_scales.push_back(std::move(bs));
      });
    } else {
      r.unknown(c, "Measurement");
    }
  }
  return m;
}

ModelScaler read_model_scaler(OsimXmlReader& r, Node n) {
  ModelScaler s;
  s.present = true;
  for (Node c : r.children(r.object(n))) {
    const auto k = c.name();
    if (k == "apply") {
      r.read(c, s.apply);
    } else if (k == "scaling_order") {
      r.read(c, s.scaling_order);
      // ModelScaler::processModel throws on any other word; say it at the element.
      for (const std::string& w : s.scaling_order)
        if (w != "measurements" && w != "manualScale")
          r.fail(c, fmt::format("<scaling_order>: expected measurements or manualScale, got '{}'", w));
    } else if (k == "MeasurementSet") {
      r.for_each_object(c, "MeasurementSet", "Measurement", [&](Node o) {
        s.measurements.push_back(read_measurement(r, o));
      });
    } else if (k == "ScaleSet") {
      r.for_each_object(c, "ScaleSet", "Scale", [&](Node o) {
        ManualScale m;
        m.line = r.line(o);
        for (Node sc : r.children(o)) {
          if (sc.name() == "scales") r.read(sc, m.scales);
          else if (sc.name() == "segment") r.read(sc, m.segment);
          else if (sc.name() == "apply") r.read(sc, m.apply);
          else r.unknown(sc, "Scale");
        }
        s.scale_set.push_back(std::move(m));
      });
    } else if (k == "marker_file") {
      r.read(c, s.marker_file);
    } else if (k == "time_range") {
      r.read(c, s.time_range);
    } else if (k == "preserve_mass_distribution") {
      r.read(c, s.preserve_mass_distribution);
    } else if (k == "output_model_file") {
      r.read(c, s.output_model_file);
    } else if (k == "output_scale_file") {
      r.read(c, s.output_scale_file);
    } else if (k == "output_joint_file" || k == "output_muscle_file") {
      continue;  // SIMM outputs of OpenSim 1.x, no longer written
    } else {
      r.unknown(c, "ModelScaler");
    }
  }
  return s;
}

MarkerPlacer read_marker_placer(OsimXmlReader& r, Node n) {
  MarkerPlacer p;
  p.present = true;
  for (Node c : r.children(r.object(n))) {
    const auto k = c.name();
    if (k == "apply") r.read(c, p.apply);
    else if (k == "IKTaskSet") p.tasks = read_ik_task_set(r, c);
    else if (k == "marker_file") r.read(c, p.marker_file);
    else if (k == "coordinate_file") r.read(c, p.coordinate_file);
    else if (k == "time_range") r.read(c, p.time_range);
    else if (k == "output_motion_file") r.read(c, p.output_motion_file);
    else if (k == "output_model_file") r.read(c, p.output_model_file);
    else if (k == "output_marker_file") r.read(c, p.output_marker_file);
    else if (k == "max_marker_movement") r.read(c, p.max_marker_movement);
    else if (k == "output_joint_file" || k == "output_muscle_file" || k == "optimizer_algorithm") continue;
    else r.unknown(c, "MarkerPlacer");
  }
  return p;
}

}  // namespace

ScaleSetup read_scale(OsimXmlReader& r, Node root) {
  ScaleSetup s;
  s.name = root.attribute("name");
  for (Node c : r.children(root)) {
    const auto k = c.name();
    if (k == "mass") r.read(c, s.mass);
    else if (k == "height") r.read(c, s.height);
    else if (k == "age") r.read(c, s.age);
    else if (k == "notes") s.notes = r.text(c);
    else if (k == "GenericModelMaker") s.generic_model_maker = read_generic_model_maker(r, c);
    else if (k == "ModelScaler") s.model_scaler = read_model_scaler(r, c);
    else if (k == "MarkerPlacer") s.marker_placer = read_marker_placer(r, c);
    else if (k == "defaults") continue;
    else r.unknown(c, "ScaleTool");
  }
  return s;
}

}  // namespace femur::io::detail
