// Reading the renderers' SVG back with a real XML parser (libxml2), so the
// tests check well-formedness and count elements by XPath, not by regex.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

namespace kiln::test {

/// A parsed document and the parser's complaints (empty when well-formed).
struct XmlDocument {
  std::shared_ptr<xmlDoc> doc;
  std::string errors;
};

inline void CollectXmlError(void* context, const xmlError* error) {
  auto* errors = static_cast<std::string*>(context);
  *errors += std::to_string(error->line) + ": " + (error->message ? error->message : "?");
}

inline XmlDocument ParseXml(const std::string& text) {
  XmlDocument result;
  xmlSetStructuredErrorFunc(&result.errors, reinterpret_cast<xmlStructuredErrorFunc>(&CollectXmlError));
  xmlDoc* doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "plan.svg", "UTF-8", XML_PARSE_NONET);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (doc) result.doc.reset(doc, &xmlFreeDoc);
  if (!doc && result.errors.empty()) result.errors = "not parsed";
  return result;
}

/// The string values of the nodes an XPath selects (`svg:` is the SVG namespace).
inline std::vector<std::string> XPathStrings(const XmlDocument& document, const std::string& xpath) {
  std::vector<std::string> values;
  if (!document.doc) return values;
  std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> context(xmlXPathNewContext(document.doc.get()),
                                                                           &xmlXPathFreeContext);
  xmlXPathRegisterNs(context.get(), BAD_CAST "svg", BAD_CAST "http://www.w3.org/2000/svg");
  std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> result(
      xmlXPathEvalExpression(BAD_CAST xpath.c_str(), context.get()), &xmlXPathFreeObject);
  if (!result || !result->nodesetval) return values;
  for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
    xmlChar* content = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
    values.emplace_back(content ? reinterpret_cast<const char*>(content) : "");
    xmlFree(content);
  }
  return values;
}

}  // namespace kiln::test
