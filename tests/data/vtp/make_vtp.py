# Writes the .vtp files of tests/data/vtp with VTK itself (Debian python3-vtk9, VTK 9.1), so
# that femur's reader (src/io/vtp.cpp) is checked against files VTK wrote in each of its data
# modes, not against our own idea of the format. Not run by the build; rerun by hand:
#   cd tests/data/vtp && /usr/bin/python3 make_vtp.py
import vtk


def sphere(theta=6, phi=4):
    s = vtk.vtkSphereSource()
    s.SetThetaResolution(theta)
    s.SetPhiResolution(phi)
    s.SetRadius(0.05)
    s.Update()
    return s.GetOutput()


def cube():  # six quadrilaterals
    c = vtk.vtkCubeSource()
    c.SetXLength(0.1)
    c.SetYLength(0.2)
    c.SetZLength(0.3)
    c.Update()
    return c.GetOutput()


def strips():  # a sphere as triangle strips
    s = vtk.vtkSphereSource()
    s.SetThetaResolution(8)
    s.SetPhiResolution(6)
    tri = vtk.vtkTriangleFilter()
    tri.SetInputConnection(s.GetOutputPort())
    st = vtk.vtkStripper()
    st.SetInputConnection(tri.GetOutputPort())
    st.Update()
    return st.GetOutput()


def write(poly, name, mode, compress=False, header64=False):
    w = vtk.vtkXMLPolyDataWriter()
    w.SetInputData(poly)
    w.SetFileName(name)
    if mode == 'ascii':
        w.SetDataModeToAscii()
    elif mode == 'binary':
        w.SetDataModeToBinary()
    elif mode == 'appended-raw':
        w.SetDataModeToAppended()
        w.EncodeAppendedDataOff()
    elif mode == 'appended-base64':
        w.SetDataModeToAppended()
        w.EncodeAppendedDataOn()
    if compress:
        w.SetCompressorTypeToZLib()
    else:
        w.SetCompressorTypeToNone()
    if header64:
        w.SetHeaderTypeToUInt64()
    else:
        w.SetHeaderTypeToUInt32()
    w.Write()


sp = sphere()
write(sp, 'sphere_ascii.vtp', 'ascii')
write(sp, 'sphere_binary.vtp', 'binary')
write(sp, 'sphere_binary_zlib.vtp', 'binary', compress=True)
write(sp, 'sphere_binary_zlib_uint64.vtp', 'binary', compress=True, header64=True)
write(sp, 'sphere_appended_raw.vtp', 'appended-raw')
write(sp, 'sphere_appended_base64_zlib.vtp', 'appended-base64', compress=True)

double_points = vtk.vtkPoints()
double_points.SetDataTypeToDouble()
double_points.DeepCopy(sp.GetPoints())
sp64 = sphere()
sp64.SetPoints(double_points)
write(sp64, 'sphere_binary_float64.vtp', 'binary')

write(cube(), 'cube_quads_ascii.vtp', 'ascii')
write(strips(), 'sphere_strips_binary.vtp', 'binary')
# The same strips split into triangles by VTK (vtkTriangleFilter), for the test to compare.
tf = vtk.vtkTriangleFilter()
tf.SetInputData(strips())
tf.Update()
write(tf.GetOutput(), 'sphere_strips_as_triangles_ascii.vtp', 'ascii')
