# What Jekyll's two YAML readers make of each plain scalar: Psych.safe_load as Debian's
# jekyll calls it (Jekyll::Utils.safe_load_yaml) and SafeYAML.load as upstream Jekyll does.
# Reads a JSON list of texts on stdin; writes a JSON list of [psych, safe_yaml] readings,
# each {"class": Ruby class or "error", "value": the value when it is a number or text}
# (the SafeYAML one null when safe_yaml is not installed).
require "json"
require "date"
require "psych"
require_relative "site/_plugins/optional_safe_yaml"

def reading(value)
  case value
  when Float then {"class" => "Float", "value" => value.finite? ? value : value.to_s}
  when Integer, String then {"class" => value.class.name, "value" => value}
  else {"class" => value.class.name}
  end
end

def read(text)
  reading(yield("v: #{text}\n")["v"])
rescue StandardError, Psych::Exception
  {"class" => "error"}
end

texts = JSON.parse($stdin.read)
out = texts.map do |text|
  [read(text) { |yaml| Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true) },
   HAVE_SAFE_YAML ? read(text) { |yaml| SafeYAML.load(yaml) } : nil]
end
puts JSON.generate(out)
