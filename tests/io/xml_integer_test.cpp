// XmlDocument::integer refuses what is not an int instead of casting it: NaN, infinities and
// values outside int's range were undefined behaviour (found by osim_fuzz with
// <display_preference> NaN </display_preference>).
#include <gtest/gtest.h>

#include <string>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/xml_util.hpp"

namespace femur::io {
namespace {

std::string error_of(const std::string& value) {
  const XmlDocument doc = XmlDocument::load_string("<a>\n<degree>" + value + "</degree>\n</a>", "m.osim");
  try {
    doc.integer(doc.root().child("degree"));
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(XmlInteger, NaNInfinityAndOutOfRangeAreErrorsAtTheirLine) {
  for (const std::string v : {"NaN", "nan", "Inf", "-inf", "1e308", "3e9", "-3e9", "2.5"}) {
    SCOPED_TRACE(v);
    EXPECT_EQ(error_of(v), "m.osim:2: <degree>: expected an integer, found '" + v + "'");
  }
}

TEST(XmlInteger, WholeNumbersInRangeAreRead) {
  const XmlDocument doc = XmlDocument::load_string("<a><d>-2147483648</d><e> 7 </e></a>", "m.osim");
  EXPECT_EQ(doc.integer(doc.root().child("d")), -2147483648);
  EXPECT_EQ(doc.integer(doc.root().child("e")), 7);
}

TEST(DocumentVersion, OnlyNumbersFromZeroToABillion) {
  EXPECT_EQ(document_version("40000"), 40000);
  EXPECT_EQ(document_version(" 30000.0 "), 30000);
  for (const char* bad : {"NaN", "Inf", "-1", "1e300", "4.0.0", ""}) EXPECT_FALSE(document_version(bad)) << bad;
}

TEST(DocumentVersion, ANaNVersionIsAnErrorAtTheRoot) {
  try {
    read_osim_string("<OpenSimDocument Version=\"NaN\">\n<Model name=\"m\"/>\n</OpenSimDocument>", "m.osim");
    ADD_FAILURE() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "m.osim:1: <OpenSimDocument> Version 'NaN' is not a number");
  }
}

}  // namespace
}  // namespace femur::io
